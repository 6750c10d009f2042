// Package geo places things: the communes of "Où ?" (Gazetteer), the R-tree
// of EG positions and declared lieux ranked by great-circle distance
// (Tree), the road networks (mainland, Corse, each DROM, the islands
// without a bridge) and the travel-time model (Router, Model). It imports
// ror, tidwall/rtree and paulmach/orb.
package geo
