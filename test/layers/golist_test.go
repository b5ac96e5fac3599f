package layers

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// module is the Drover module path, cut from package paths.
const module = "github.com/drover-iot/drover"

// pkg is one package as `go list -json` describes it, its own path and its
// Drover imports relative to the module (standard library and third-party
// imports are dropped).
type pkg struct {
	Path         string   `json:"ImportPath"`
	Imports      []string `json:"Imports"`
	TestImports  []string `json:"TestImports"`
	XTestImports []string `json:"XTestImports"`
	Deps         []string `json:"Deps"`
}

// allImports returns the package's Drover imports, its tests' included.
func (p pkg) allImports() []string {
	return append(append(append([]string(nil), p.Imports...), p.TestImports...), p.XTestImports...)
}

// listPackages runs `go list -json` on every package of the module.
func listPackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports,TestImports,XTestImports,Deps", module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	pkgs, err := decodePackages(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) == 0 {
		t.Fatal("go list found no packages")
	}
	return pkgs
}

// decodePackages decodes the stream of JSON objects go list prints and
// keeps only Drover paths, relative to the module.
func decodePackages(out []byte) ([]pkg, error) {
	dec := json.NewDecoder(bytes.NewReader(out))
	var pkgs []pkg
	for {
		var p pkg
		err := dec.Decode(&p)
		if errors.Is(err, io.EOF) {
			return pkgs, nil
		}
		if err != nil {
			return nil, err
		}
		p.Path = relative(p.Path)
		p.Imports, p.TestImports = drover(p.Imports), drover(p.TestImports)
		p.XTestImports, p.Deps = drover(p.XTestImports), drover(p.Deps)
		pkgs = append(pkgs, p)
	}
}

// drover keeps the module's own paths of paths, relative to the module.
func drover(paths []string) []string {
	var out []string
	for _, p := range paths {
		if p == module || strings.HasPrefix(p, module+"/") {
			out = append(out, relative(p))
		}
	}
	return out
}

// relative cuts the module path off a package path.
func relative(path string) string {
	return strings.TrimPrefix(strings.TrimPrefix(path, module), "/")
}

// byPath indexes pkgs by their relative path.
func byPath(pkgs []pkg) map[string]pkg {
	m := make(map[string]pkg, len(pkgs))
	for _, p := range pkgs {
		m[p.Path] = p
	}
	return m
}
