package cli

import "github.com/drover-iot/drover/internal/natural"

// sortNatural sorts items by the natural order of their names.
func sortNatural[T any](items []T, name func(T) string) { natural.Sort(items, name) }
