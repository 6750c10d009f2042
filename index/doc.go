// Package index finds units: Bleve matches words against a small
// vocabulary (the labels of the codes in use, filières, names of
// établissements), and compressed bitmaps over UO ordinals hold every code,
// so criteria, filters and facet counts are set operations, not queries over
// 500,000 documents. It imports ror, Bleve and roaring.
package index
