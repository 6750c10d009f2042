// Package geo places things: the communes of "Où ?" (Gazetteer), the R-tree
// of EG positions ranked by great-circle distance (Tree), and the travel
// time estimate (Router). It imports ror, tidwall/rtree and paulmach/orb.
package geo
