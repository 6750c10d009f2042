package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/internal/sources"
)

// A paged search reads every match exactly once, past 200, on its snapshot
// even when the directory changes between pages; B1 (_offset=200 answered
// the first match), B2 (previous near the end), B3 (matches shown only as
// includes of Organization:partof).
func TestFHIRPagingReadsEveryMatchOnce(t *testing.T) {
	app := sharedApp(t)
	offres, offer := storeOffres(t, app)
	for _, sc := range []struct {
		path string
		want int
	}{
		{"/fhir/HealthcareService?_count=200", len(offres)},
		{"/fhir/Location?_count=150&_sort=-_lastUpdated", len(offer.UOs)},
		{"/fhir/Organization?_count=200&_include=Organization:partof", len(offer.EGs) + len(offer.EJs)},
	} {
		seen := map[string]int{}
		path, pages := sc.path, 0
		for path != "" {
			b := checkBundle(t, app, path, strings.SplitN(strings.TrimPrefix(sc.path, "/fhir/"), "?", 2)[0])
			if *b.total != sc.want {
				t.Fatalf("%s: total %d, the store has %d", path, *b.total, sc.want)
			}
			for _, id := range b.matches {
				seen[id]++
			}
			if pages++; pages == 2 && strings.HasPrefix(sc.path, "/fhir/HealthcareService") {
				// a write between two pages changes neither the set nor the order
				admin := mustAdmin(t, app)
				if code, body := send(t, app, "PUT", "/api/v1/uo/"+offres[0].uo.ID+"/capacitaire", admin, "application/json", `{"lits_installes":40,"lits_disponibles":9}`); code != 200 {
					t.Fatalf("PUT capacitaire: %d %s", code, body)
				}
			}
			path = b.next
		}
		if len(seen) != sc.want {
			t.Errorf("%s: %d distinct matches over %d pages, want %d", sc.path, len(seen), pages, sc.want)
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("%s: %s read %d times", sc.path, id, n)
			}
		}
	}
	// B1: _offset=200 is the 201st match, not the first
	first := checkBundle(t, app, "/fhir/HealthcareService?_count=1", "HealthcareService")
	b1 := checkBundle(t, app, "/fhir/HealthcareService?_count=1&_offset=200", "HealthcareService")
	if len(b1.matches) != 1 || b1.matches[0] == first.matches[0] {
		t.Errorf("B1: _offset=200 answered %v, the first match is %v", b1.matches, first.matches)
	}
	// B2: previous of the last page is one page back
	n := len(offres)
	last := (n - 1) / 50 * 50
	_, body := fhirGet(t, app, "/fhir/HealthcareService?_count=50&_offset="+strconv.Itoa(last))
	var lb fhirBundle
	_ = json.Unmarshal(body, &lb)
	for _, l := range lb.Link {
		if l.Relation == "previous" && !strings.Contains(l.URL, "_offset="+strconv.Itoa(last-50)) {
			t.Errorf("B2: previous of _offset=%d is %s, want _offset=%d", last, l.URL, last-50)
		}
		if l.Relation == "next" {
			t.Errorf("B2: the last page has a next link %s", l.URL)
		}
	}
	// an unknown snapshot is 410 Gone, an OperationOutcome
	if st, body := fhirGet(t, app, "/fhir/HealthcareService?_snapshot=zzz&_offset=200"); st != 410 || !strings.Contains(string(body), "OperationOutcome") {
		t.Errorf("unknown _snapshot: %d %.200s, want 410", st, body)
	}
}

func mustAdmin(t *testing.T, app *App) string {
	t.Helper()
	tok, err := app.db.Accounts().CreateAccount(t.Context(), ror.Account{Name: "Admin " + t.Name(), Role: ror.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// A full Bulk Data export reads every resource of the directory exactly
// once, NDJSON per type; _type and _since narrow it.
func TestFHIRExportReadsEveryResourceOnce(t *testing.T) {
	app := sharedApp(t)
	offres, offer := storeOffres(t, app)
	if st, _ := fhirGet(t, app, "/fhir/$export"); st != 400 {
		t.Errorf("$export without Prefer: respond-async: %d, want 400", st)
	}
	start := time.Now()
	files := runExportTest(t, app, "/fhir/$export")
	t.Logf("full export: %d Organization, %d Location, %d HealthcareService in %s, %d bytes", len(offer.EGs)+len(offer.EJs), len(offer.UOs), len(offres), time.Since(start).Round(time.Millisecond), func() (n int) {
		for _, f := range files {
			n += len(f)
		}
		return
	}())
	want := map[string]int{"Organization": len(offer.EGs) + len(offer.EJs), "Location": len(offer.UOs), "HealthcareService": len(offres)}
	for typ, n := range want {
		seen := map[string]int{}
		sc := bufio.NewScanner(bytes.NewReader(files[typ]))
		sc.Buffer(nil, 1<<24)
		for sc.Scan() {
			var r fhirRes
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatal(err)
			}
			if r.ResourceType != typ {
				t.Errorf("%s.ndjson holds a %s", typ, r.ResourceType)
			}
			seen[r.ID]++
		}
		if len(seen) != n {
			t.Errorf("%s: %d resources exported, the store has %d", typ, len(seen), n)
		}
		for id, k := range seen {
			if k != 1 {
				t.Errorf("%s/%s exported %d times", typ, id, k)
			}
		}
	}
	// The files are the same NDJSON gzipped or not; once the export is
	// deleted they are gone.
	loc, urls := startExportTest(t, app, "/fhir/$export?_type=Location")
	if len(urls) != 1 || urls["Location"] == "" {
		t.Fatalf("_type=Location: files %v", urls)
	}
	plain, zipped := exportFileTest(t, urls["Location"], "identity"), exportFileTest(t, urls["Location"], "gzip")
	if !bytes.Equal(plain, files["Location"]) || !bytes.Equal(zipped, plain) {
		t.Errorf("Location.ndjson: %d bytes as identity, %d gzipped, %d in the full export", len(plain), len(zipped), len(files["Location"]))
	}
	req, _ := http.NewRequest("DELETE", loc, nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 202 {
		t.Fatalf("DELETE %s: %v %v", loc, resp, err)
	}
	if resp, err := http.Get(urls["Location"]); err != nil || resp.StatusCode != 404 {
		t.Errorf("a deleted export's file: %v %v, want 404", resp, err)
	}
	files = runExportTest(t, app, "/fhir/$export?_type=Location&_since=2999-01-01T00:00:00Z")
	if len(files) != 1 || len(files["Location"]) != 0 {
		t.Errorf("_type=Location&_since=2999: files %v", len(files))
	}
	if st, _ := fhirGet(t, app, "/fhir/$export?_type=Patient", "Prefer", "respond-async"); st != 400 {
		t.Errorf("_type=Patient: %d, want 400", st)
	}
}

// runExportTest kicks off an export, polls it, returns its files by type
// and deletes it.
func runExportTest(t *testing.T, app *App, path string) map[string][]byte {
	t.Helper()
	loc, urls := startExportTest(t, app, path)
	files := map[string][]byte{}
	for typ, u := range urls {
		files[typ] = exportFileTest(t, u, "")
	}
	req, _ := http.NewRequest("DELETE", loc, nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	return files
}

// startExportTest kicks off an export and polls it: its status address and
// its files' addresses by type.
func startExportTest(t *testing.T, app *App, path string) (string, map[string]string) {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+app.Addr()+path, nil)
	req.Header.Set("Prefer", "respond-async")
	req.Header.Set("Accept", "application/fhir+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Content-Location")
	if resp.StatusCode != 202 || loc == "" {
		t.Fatalf("kick-off %s: %d, Content-Location %q", path, resp.StatusCode, loc)
	}
	var manifest struct {
		Output []struct{ Type, URL string }
	}
	for deadline := time.Now().Add(2 * time.Minute); ; {
		resp, err := http.Get(loc)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == 200 {
			if err := json.Unmarshal(body, &manifest); err != nil {
				t.Fatal(err)
			}
			break
		}
		if resp.StatusCode != 202 || time.Now().After(deadline) {
			t.Fatalf("status %s: %d %s", loc, resp.StatusCode, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	urls := map[string]string{}
	for _, o := range manifest.Output {
		urls[o.Type] = o.URL
	}
	return loc, urls
}

// exportFileTest downloads an export file as NDJSON. With encoding "" the
// client negotiates gzip and inflates it itself, as Go's does; "gzip" asks
// for it and checks the body is gzip; "identity" checks the server inflates.
func exportFileTest(t *testing.T, url, encoding string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if encoding != "" {
		req.Header.Set("Accept-Encoding", encoding)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/fhir+ndjson") {
		t.Fatalf("%s: %d %s", url, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	switch got := resp.Header.Get("Content-Encoding"); {
	case encoding == "gzip" && got != "gzip", encoding == "identity" && got != "":
		t.Fatalf("%s with Accept-Encoding %s: Content-Encoding %q", url, encoding, got)
	case encoding == "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	return body
}

// A client that reads an export file slowly gets all of it, though the
// whole download outlasts the service's write timeout: the file moves the
// deadline on as long as the client reads. Its receive buffer is kept small
// so that the service's writes block while the client pauses.
func TestFHIRExportFileOutlastsTheWriteTimeout(t *testing.T) {
	app := startApp(t, t.TempDir(), sources.Dir(t), func(a *App) {
		a.cfg.Departments = []string{"75"}
		a.cfg.WriteTimeout = 300 * time.Millisecond
	})
	defer app.Close()
	loc, urls := startExportTest(t, app, "/fhir/$export?_type=HealthcareService")
	defer func() {
		req, _ := http.NewRequest("DELETE", loc, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	dialer := &net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 16<<10) })
		return errors.Join(err, serr)
	}}
	client := &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext, DisableCompression: true}}
	req, _ := http.NewRequest("GET", urls["HealthcareService"], nil)
	req.Header.Set("Accept-Encoding", "identity")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got bytes.Buffer
	buf := make([]byte, 64<<10)
	for start := time.Now(); ; {
		n, err := resp.Body.Read(buf)
		got.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("after %d bytes in %s: %v", got.Len(), time.Since(start).Round(time.Millisecond), err)
		}
		if got.Len() < 4<<20 {
			time.Sleep(5 * time.Millisecond) // ≈ 12 MB/s: 4 MB take longer than the timeout
		}
	}
	want := exportFileTest(t, urls["HealthcareService"], "identity")
	if got.Len() < 4<<20 || !bytes.Equal(got.Bytes(), want) {
		t.Errorf("read slowly: %d bytes, in one go: %d (want the same, over 4 MB)", got.Len(), len(want))
	}
}
