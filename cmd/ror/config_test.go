package main

import (
	"io"
	"testing"
)

// Each command takes its own flags: a serve flag given to another command
// is an error, not silently ignored.
func TestEachCommandHasItsFlags(t *testing.T) {
	env := func(string) string { return "" }
	for _, c := range []struct {
		args []string
		ok   bool
	}{
		{[]string{"serve", "-addr", "127.0.0.1:0", "-read-auth"}, true}, // serve's own flags
		{[]string{"-addr", "127.0.0.1:0"}, true},                        // serve is the default
		{[]string{"import", "-data", "d", "-sources", "s"}, true},       // the common flags
		{[]string{"import", "-addr", "127.0.0.1:0"}, false},             // import listens nowhere
		{[]string{"token", "-name", "n", "-role", "lecteur"}, true},     // token's own
		{[]string{"gen", "-name", "n"}, false},                          // a token flag to gen
		{[]string{"restore", "-in", "f.badger", "-out", "x"}, false},    // a gen flag to restore
		{[]string{"bench", "-data", "d"}, false},                        // the benchmark is cmd/rorbench
	} {
		_, err := ParseFlags(c.args, env, io.Discard)
		if (err == nil) != c.ok {
			t.Errorf("%v: error %v, want ok=%v", c.args, err, c.ok)
		}
	}
}
