package ror_test

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// maxMethods is the most methods a type of the module may have, promoted
// ones included: past it, a type serves more than one concern and is split
// by concern (store.DB hands out one store per concern, api.Server one
// receiver per kind of handler).
const maxMethods = 20

// typeDecl is a named type of the module as go/ast sees it.
type typeDecl struct {
	methods  map[string]bool // declared on T or *T; an interface's own methods
	embedded []typeRef       // embedded project types (struct fields or interfaces)
}

// typeRef names a type of the module: its package (path under the module)
// and its name.
type typeRef struct{ pkg, name string }

func (r typeRef) String() string {
	if r.pkg == "" {
		return "ror." + r.name
	}
	return r.pkg + "." + r.name
}

// moduleTypes parses the non-test Go files under root (a module whose path
// is mod) and returns its named types.
func moduleTypes(root, mod string) (map[typeRef]*typeDecl, error) {
	types := map[typeRef]*typeDecl{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || name == "node_modules" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		if ok, err := build.Default.MatchFile(filepath.Dir(path), name); err != nil || !ok {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, filepath.Dir(path))
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(rel)
		if pkg == "." {
			pkg = ""
		}
		addFile(types, f, pkg, mod)
		return nil
	})
	return types, err
}

// addFile records the types and methods that f (of package pkg) declares.
func addFile(types map[typeRef]*typeDecl, f *ast.File, pkg, mod string) {
	imports := map[string]string{} // local name → path under the module
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		if p != mod && !strings.HasPrefix(p, mod+"/") {
			continue
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p, mod), "/")
		local := filepath.Base(p)
		if rel == "" {
			local = "ror"
		}
		if imp.Name != nil {
			local = imp.Name.Name
		}
		imports[local] = rel
	}
	decl := func(name string) *typeDecl {
		r := typeRef{pkg, name}
		if types[r] == nil {
			types[r] = &typeDecl{methods: map[string]bool{}}
		}
		return types[r]
	}
	// ref resolves an embedded type expression to a project type.
	ref := func(e ast.Expr) (typeRef, bool) {
		for {
			switch x := e.(type) {
			case *ast.StarExpr:
				e = x.X
				continue
			case *ast.IndexExpr:
				e = x.X
				continue
			case *ast.IndexListExpr:
				e = x.X
				continue
			case *ast.Ident:
				return typeRef{pkg, x.Name}, true
			case *ast.SelectorExpr:
				id, ok := x.X.(*ast.Ident)
				if !ok {
					return typeRef{}, false
				}
				p, ok := imports[id.Name]
				return typeRef{p, x.Sel.Name}, ok
			}
			return typeRef{}, false
		}
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil || len(d.Recv.List) == 0 {
				continue
			}
			if r, ok := ref(d.Recv.List[0].Type); ok {
				decl(r.name).methods[d.Name.Name] = true
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				ts, ok := s.(*ast.TypeSpec)
				if !ok {
					continue
				}
				t := decl(ts.Name.Name)
				var fields *ast.FieldList
				switch x := ts.Type.(type) {
				case *ast.StructType:
					fields = x.Fields
				case *ast.InterfaceType:
					fields = x.Methods
				}
				if fields == nil {
					continue
				}
				for _, fl := range fields.List {
					switch {
					case len(fl.Names) == 0: // embedded
						if r, ok := ref(fl.Type); ok {
							t.embedded = append(t.embedded, r)
						}
					case isFunc(fl.Type) && isInterface(ts.Type):
						for _, n := range fl.Names {
							t.methods[n.Name] = true
						}
					}
				}
			}
		}
	}
}

func isFunc(e ast.Expr) bool      { _, ok := e.(*ast.FuncType); return ok }
func isInterface(e ast.Expr) bool { _, ok := e.(*ast.InterfaceType); return ok }

// methodSet returns the names of r's methods, those promoted from its
// embedded project types included.
func methodSet(types map[typeRef]*typeDecl, r typeRef, seen map[typeRef]bool) map[string]bool {
	set := map[string]bool{}
	t := types[r]
	if t == nil || seen[r] {
		return set
	}
	seen[r] = true
	for m := range t.methods {
		set[m] = true
	}
	for _, e := range t.embedded {
		for m := range methodSet(types, e, seen) {
			set[m] = true
		}
	}
	return set
}

// tooBig returns the types of more than maxMethods methods, largest first.
func tooBig(types map[typeRef]*typeDecl) []string {
	type big struct {
		ref typeRef
		n   int
	}
	var bigs []big
	for r := range types {
		if n := len(methodSet(types, r, map[typeRef]bool{})); n > maxMethods {
			bigs = append(bigs, big{r, n})
		}
	}
	slices.SortFunc(bigs, func(a, b big) int {
		if a.n != b.n {
			return b.n - a.n
		}
		return strings.Compare(a.ref.String(), b.ref.String())
	})
	out := make([]string, len(bigs))
	for i, b := range bigs {
		out[i] = fmt.Sprintf("%s: %d methods", b.ref, b.n)
	}
	return out
}

// TestMethodCount fails when a type of the module has more than maxMethods
// methods, counting those promoted from embedded project types: embedding
// does not make a large type small.
func TestMethodCount(t *testing.T) {
	types, err := moduleTypes(".", module)
	if err != nil {
		t.Fatal(err)
	}
	if len(types) < 100 {
		t.Fatalf("only %d types found: the walk missed the module", len(types))
	}
	for _, b := range tooBig(types) {
		t.Errorf("%s (at most %d): split it by concern", b, maxMethods)
	}

	t.Run("promoted methods count", func(t *testing.T) {
		var src strings.Builder
		src.WriteString("package p\nimport q \"" + module + "/q\"\ntype Small struct{}\ntype Big struct{ *Small; q.Other }\n")
		for i := range 12 {
			fmt.Fprintf(&src, "func (Small) S%d() {}\nfunc (*Big) B%d() {}\n", i, i)
		}
		other := "package q\ntype Other interface{ X(); Y() }\n"
		types := map[typeRef]*typeDecl{}
		for _, s := range []struct{ pkg, src string }{{"p", src.String()}, {"q", other}} {
			f, err := parser.ParseFile(token.NewFileSet(), s.pkg+".go", s.src, 0)
			if err != nil {
				t.Fatal(err)
			}
			addFile(types, f, s.pkg, module)
		}
		if got, want := tooBig(types), []string{"p.Big: 26 methods"}; !slices.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}
