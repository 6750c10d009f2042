package data_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/data"
	"github.com/ror-recherche/ror/internal/sources"
)

func realCommunes(t testing.TB) map[string]ror.Commune {
	t.Helper()
	f, err := os.Open(filepath.Join(sources.Dir(t), "communes.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	list, err := data.ReadCommunes(f)
	if err != nil {
		t.Fatal(err)
	}
	m := make(map[string]ror.Commune, len(list))
	for _, c := range list {
		m[c.INSEE] = c
	}
	return m
}

// The fixture is written by the project in the extract's format (no real
// extract is at hand): 10 activity lines, two of them unreadable.
func TestReadRPPSFixture(t *testing.T) {
	const name = "PS_LibreAcces_Personne_activite_fixture.txt"
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pros, rep, err := data.ReadRPPS(f, name, data.RPPSOptions{Communes: realCommunes(t), Source: "RPPS " + name, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Lines != 10 {
		t.Errorf("read %d activity lines, want 10", rep.Lines)
	}
	var got []string
	for _, e := range rep.Malformed {
		got = append(got, e.String())
	}
	if len(got) != 2 || !strings.HasPrefix(got[0], "ligne 9 : 55 colonnes au lieu de 56") || !strings.HasPrefix(got[1], "ligne 10 : identification nationale") {
		t.Errorf("malformed lines %q, want line 9 (a column short) and line 10 (bad identifier)", got)
	}
	if rep.Skipped["autre profession"] != 1 || rep.Skipped["exercice non libéral"] != 1 {
		t.Errorf("skipped %v, want the infirmier and the salaried kiné", rep.Skipped)
	}
	by := map[string]ror.Professional{}
	for _, p := range pros {
		by[p.RPPS] = p
	}
	if len(pros) != 4 || rep.Places != 5 {
		t.Fatalf("kept %d professionals and %d places, want 4 and 5: %+v", len(pros), rep.Places, pros)
	}
	kine := by["899990000001"]
	if kine.Profession != "70" || kine.Nom != "ESSAI-ROSIER" || kine.Prenom != "Claire" || len(kine.Lieux) != 2 {
		t.Errorf("kiné %+v", kine)
	}
	l := kine.Lieux[0]
	if l.Commune != "78361" || l.TypeOffre != "195" || l.Placement != ror.PlacementCommune || !l.Point.Valid() || l.Address != "12 Rue DES TILLEULS" || l.Phone != "0130000001" {
		t.Errorf("first place %+v", l)
	}
	if med := by["899990000003"]; med.SavoirFaire != "SM54" || len(med.Lieux) != 1 || med.Lieux[0].TypeOffre != "196" {
		t.Errorf("médecin %+v: want SM54, one place (the compétence line is the same place), a cabinet de médecine générale", med)
	}
	if _, ok := by["899990000008"]; !ok {
		t.Error("the line after the unreadable ones is lost")
	}
}

func TestReadRPPSRefusesAnotherFile(t *testing.T) {
	_, _, err := data.ReadRPPS(strings.NewReader("a|b|c|\n1|2|3|\n"), "x.txt", data.RPPSOptions{})
	if err == nil || !strings.Contains(err.Error(), "Identification nationale PP") {
		t.Errorf("got %v, want the missing column named", err)
	}
}

func TestProfessionCodes(t *testing.T) {
	n := ror.NewNomenclature()
	if err := data.AddProfessionCodes(n); err != nil {
		t.Fatal(err)
	}
	if n.Label(data.VSProfessionSante, "70") != "Masseur-Kinésithérapeute" || n.Label(data.VSSpecialiteOrdinale, "SM54") != "Médecine générale (SM)" {
		t.Errorf("labels %q %q", n.Label(data.VSProfessionSante, "70"), n.Label(data.VSSpecialiteOrdinale, "SM54"))
	}
}

// BenchmarkReadRPPSNational reads an extract of the national file's size
// (2,000,000 activity lines, about 213,000 of them liberal kinés,
// sages-femmes and généralistes, the rest other professions or modes that
// the import leaves out), written here in the fixture's format: the time
// and the heap a deployment's import needs (README).
func BenchmarkReadRPPSNational(b *testing.B) {
	communes := realCommunes(b)
	var insee []string
	for k, c := range communes {
		if c.Point.Valid() {
			insee = append(insee, k)
		}
	}
	slices.Sort(insee)
	fixture, err := os.ReadFile(filepath.Join("testdata", "PS_LibreAcces_Personne_activite_fixture.txt"))
	if err != nil {
		b.Fatal(err)
	}
	lines := strings.Split(string(fixture), "\r\n")
	head, kine, infirmier := lines[0], strings.Split(lines[1], "|"), strings.Split(lines[6], "|")
	path := filepath.Join(b.TempDir(), "PS_LibreAcces_Personne_activite_national.txt")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(head + "\r\n")
	for i := 0; i < 2_000_000; i++ {
		rec := kine
		if i%9 != 0 {
			rec = infirmier
		}
		rec[1] = fmt.Sprintf("9%010d", i)
		rec[2] = "8" + rec[1]
		rec[36] = insee[i%len(insee)]
		w.WriteString(strings.Join(rec, "|") + "\r\n")
	}
	w.Flush()
	f.Close()
	st, _ := os.Stat(path)
	b.Logf("extract of %d MB", st.Size()>>20)
	b.ReportAllocs()
	for b.Loop() {
		r, _ := os.Open(path)
		pros, rep, err := data.ReadRPPS(r, "national", data.RPPSOptions{Communes: communes, Now: time.Now()})
		r.Close()
		if err != nil || len(rep.Malformed) != 0 {
			b.Fatal(err, rep.Malformed)
		}
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		b.ReportMetric(float64(m.HeapAlloc>>20), "MiB-heap-after")
		b.ReportMetric(float64(len(pros)), "pros")
	}
}
