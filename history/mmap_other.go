//go:build !unix

package history

// mapFile reads the file at path into memory (where residiff does not map
// files).
func mapFile(path string) ([]byte, func() error, error) { return readFile(path) }
