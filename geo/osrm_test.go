package geo_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/geo"
)

// osrmAnswer is a recorded answer of OSRM's table service in its documented
// format (project-osrm.org/docs/v5.24.0/api/#table-service), for Paris 10
// to three places: seconds, null where no route was found.
const osrmAnswer = `{"code":"Ok","durations":[[0,312.4,1019.9,null]],
"sources":[{"hint":"","distance":12.1,"name":"Rue du Faubourg Saint-Martin","location":[2.361112,48.876031]}],
"destinations":[{"hint":"","distance":12.1,"name":"Rue du Faubourg Saint-Martin","location":[2.361112,48.876031]},
{"hint":"","distance":20.3,"name":"Avenue Jean Jaurès","location":[2.384687,48.886871]},
{"hint":"","distance":8.7,"name":"Avenue de Fontainebleau","location":[2.356582,48.809224]},
{"hint":"","distance":0,"name":"","location":[2.519741,48.896741]}]}`

func osrmServer(t *testing.T, answer string, delay time.Duration) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if !strings.HasPrefix(r.URL.Path, "/table/v1/driving/") || r.URL.Query().Get("sources") != "0" || r.URL.Query().Get("annotations") != "duration" {
			http.Error(w, `{"code":"InvalidUrl","message":"bad"}`, http.StatusBadRequest)
			return
		}
		time.Sleep(delay)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(answer))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

var (
	paris10 = ror.Commune{INSEE: "75110", Department: "75", Point: ror.Point{Lon: 2.36111, Lat: 48.87603}}
	page    = []ror.Place{
		{Point: ror.Point{Lon: 2.38469, Lat: 48.88687}, INSEE: "75119", DistanceKm: 2.1},
		{Point: ror.Point{Lon: 2.35658, Lat: 48.80922}, INSEE: "94043", DistanceKm: 7.4},
		{Point: ror.Point{Lon: 2.51974, Lat: 48.89674}, INSEE: "93062", DistanceKm: 11.8},
	}
)

func TestOSRMTimesAPageInOneRequest(t *testing.T) {
	srv, calls := osrmServer(t, osrmAnswer, 0)
	o, err := geo.NewOSRM(srv.URL, time.Second, geo.NewRouter())
	if err != nil {
		t.Fatal(err)
	}
	trips := o.Trips(paris10, page)
	if calls.Load() != 1 {
		t.Errorf("got %d requests for a page, want 1", calls.Load())
	}
	want := []struct {
		d      time.Duration
		method string
	}{{312400 * time.Millisecond, "osrm"}, {1019900 * time.Millisecond, "osrm"}, {0, "modele"}}
	for i, w := range want {
		if got := trips[i]; !got.Reachable || got.Method != w.method || (w.d > 0 && got.Duration != w.d) {
			t.Errorf("place %d: got %+v, want %s by %s (no route found: the model's)", i, got, w.d, w.method)
		}
	}
	t.Run("a second page asks only what it has not timed", func(t *testing.T) {
		again := o.Trips(paris10, page[:2])
		if calls.Load() != 1 || again[0].Duration != trips[0].Duration || again[0].Method != "osrm" {
			t.Errorf("got %d requests and %+v, want the cached answer", calls.Load(), again[0])
		}
	})
	t.Run("across the sea the server is not asked and there is no driving time", func(t *testing.T) {
		before := calls.Load()
		tr := o.Trip(paris10, ror.Point{Lon: 8.7369, Lat: 41.9192}, "2A004", 920)
		if tr.Reachable || tr.Duration != 0 || calls.Load() != before {
			t.Errorf("Paris → Ajaccio: got %+v after %d requests, want unreachable without asking", tr, calls.Load()-before)
		}
	})
}

func TestOSRMFallsBackToTheModel(t *testing.T) {
	tests := []struct {
		name   string
		answer string
		delay  time.Duration
	}{
		// slower than the timeout
		{"a slow server", osrmAnswer, 300 * time.Millisecond},
		// OSRM's error shape
		{"an error answer", `{"code":"NoTable","message":"No table found"}`, 0},
		// not the table's shape
		{"a short table", `{"code":"Ok","durations":[[0,60]]}`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := osrmServer(t, tt.answer, tt.delay)
			o, _ := geo.NewOSRM(srv.URL, 100*time.Millisecond, geo.NewRouter())
			model := geo.NewRouter()
			for i, got := range o.Trips(paris10, page) {
				want := model.Trip(paris10, page[i].Point, page[i].INSEE, page[i].DistanceKm)
				if got != want || got.Method != "modele" {
					t.Errorf("place %d: got %+v, want the model's %+v", i, got, want)
				}
			}
		})
	}
}

func TestOSRMRefusesABadURL(t *testing.T) {
	for _, u := range []string{"osrm:5000", "ftp://osrm", "http://"} {
		if _, err := geo.NewOSRM(u, time.Second, geo.NewRouter()); err == nil {
			t.Errorf("%q: got no error", u)
		}
	}
}

func TestOSRMSplitsAnExportIntoTablesOfOneHundred(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		coords := strings.Split(strings.TrimPrefix(r.URL.Path, "/table/v1/driving/"), ";")
		if len(coords) > 100 {
			http.Error(w, `{"code":"TooBig","message":"Too many table coordinates"}`, http.StatusBadRequest)
			return
		}
		row := make([]string, len(coords))
		for i := range row {
			row[i] = "600"
		}
		w.Write([]byte(`{"code":"Ok","durations":[[` + strings.Join(row, ",") + `]]}`))
	}))
	t.Cleanup(srv.Close)
	o, _ := geo.NewOSRM(srv.URL, time.Second, geo.NewRouter())
	var places []ror.Place
	for i := range 200 { // an export's 200 établissements
		places = append(places, ror.Place{Point: ror.Point{Lon: 2.3 + float64(i)/1000, Lat: 48.85}, INSEE: "75110", DistanceKm: 5})
	}
	for i, tr := range o.Trips(paris10, places) {
		if tr.Method != "osrm" || tr.Duration != 10*time.Minute {
			t.Fatalf("place %d: got %+v, want 10 min by osrm", i, tr)
		}
	}
	if got := calls.Load(); got != 3 {
		t.Errorf("got %d requests, want 3 (99 destinations each)", got)
	}
}
