package fhir

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// The Bulk Data export (HL7 FHIR Bulk Data Access, system level), which the
// guide's consumer CapabilityStatement requires (hl7.fhir.uv.bulkdata):
//
//	GET /fhir/$export (Prefer: respond-async; _type, _since)  → 202, Content-Location
//	GET /fhir/$export-status/{id}  → 202 (X-Progress) while it runs, 200 and the manifest when done
//	GET /fhir/$export-file/{id}/{Type}.ndjson → the resources of a type, one JSON a line
//	DELETE /fhir/$export-status/{id} → 202, the export is forgotten
//
// An export reads the directory under one read lock for the offres (all the
// UOs with their EGs as one copy) and the records of the organisations, so
// each resource is in it exactly once. Its files are written gzipped to a
// directory of their own (the national export is gigabytes of NDJSON: held
// in memory, four of them would take more than the service) and removed
// with the export, exportTTL after it ends or on DELETE.

var exportTypes = []string{"Organization", "Location", "HealthcareService", "Practitioner", "PractitionerRole"}

// proTypes are the types of the professionals, read from their own side.
var proTypes = []string{"Practitioner", "PractitionerRole"}

const (
	exportTTL  = time.Hour
	maxExports = 4
	// exportIdle is how long a download may make no progress: a file of
	// hundreds of MB outlasts the server's write timeout, which fasthttp
	// sets once for the whole response.
	exportIdle = 30 * time.Second
)

type exportJob struct {
	id      string
	request string
	started time.Time
	done    bool
	err     error
	dir     string         // its files, <Type>.ndjson.gz; removed with the job
	counts  map[string]int // type → resources, a file for each type asked
	at      time.Time      // transactionTime: when the directory was read
}

type exports struct {
	mu   sync.Mutex
	jobs map[string]*exportJob
}

func (e *exports) get(id string) *exportJob {
	e.mu.Lock()
	defer e.mu.Unlock()
	j := e.jobs[id]
	if j != nil && j.done && time.Since(j.at) > exportTTL {
		e.dropLocked(id)
		return nil
	}
	return j
}

func (e *exports) add(j *exportJob) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.jobs == nil {
		e.jobs = map[string]*exportJob{}
	}
	for id, x := range e.jobs {
		if x.done && time.Since(x.at) > exportTTL {
			e.dropLocked(id)
		}
	}
	if len(e.jobs) >= maxExports {
		return &fhirError{status: http.StatusTooManyRequests, code: "throttled",
			msg: "Trop d'exports en cours ou conservés (" + strconv.Itoa(maxExports) + ") : en supprimer un (DELETE sur son adresse de suivi) ou attendre."}
	}
	e.jobs[j.id] = j
	return nil
}

// finish records the end of j's run; its files go exportTTL later.
func (e *exports) finish(j *exportJob, counts map[string]int, at time.Time, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	j.counts, j.at, j.err, j.done = counts, at, err, true
	if e.jobs[j.id] != j { // deleted while it ran
		removeDir(j.dir)
		return
	}
	time.AfterFunc(exportTTL, func() { e.get(j.id) })
}

func (e *exports) remove(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, ok := e.jobs[id]
	e.dropLocked(id)
	return ok
}

// dropLocked forgets job id and removes its files, unless it still runs
// (finish removes them then). A download under way keeps reading its open
// file.
func (e *exports) dropLocked(id string) {
	j := e.jobs[id]
	if j == nil {
		return
	}
	delete(e.jobs, id)
	if j.done {
		removeDir(j.dir)
	}
}

func removeDir(dir string) {
	if err := os.RemoveAll(dir); err != nil {
		slog.Error("fhir export: files not removed", "dir", dir, "err", err)
	}
}

func mountExport(r fiber.Router, h *Handler) {
	r.Get("/$export", h.wrap(h.exportKickOff))
	r.Post("/$export", h.wrap(h.exportKickOff))
	r.Get("/$export-status/:id", h.wrap(h.exportStatus))
	r.Delete("/$export-status/:id", h.wrap(h.exportDelete))
	r.Get("/$export-file/:id/:file", h.wrap(h.exportFile))
}

// exportKickOff answers GET /fhir/$export: 202 and where to poll.
func (h *Handler) exportKickOff(c *fiber.Ctx) error {
	d, err := h.dir()
	if err != nil {
		return err
	}
	if !preferAsync(c) {
		return invalid("Prefer", "$export est asynchrone : envoyer l'en-tête Prefer: respond-async")
	}
	v := queryValues(c)
	types, named := exportTypes, false
	var since time.Time
	for k, vals := range v {
		switch k {
		case "_type":
			types, named = nil, true
			for _, t := range splitComma(strings.Join(vals, ",")) {
				if !slices.Contains(exportTypes, t) {
					return unsupported("_type", "_type : « %s » n'est pas exporté (possibles : %s)", t, strings.Join(exportTypes, ", "))
				}
				if !slices.Contains(types, t) {
					types = append(types, t)
				}
			}
		case "_since":
			t, err := time.Parse(time.RFC3339Nano, vals[0])
			if err != nil {
				return invalid("_since", "_since doit être un instant FHIR (AAAA-MM-JJThh:mm:ss+zz:zz)")
			}
			since = t
		case "_outputFormat":
			if f := vals[0]; f != "application/fhir+ndjson" && f != "application/ndjson" && f != "ndjson" {
				return unsupported("_outputFormat", "_outputFormat=%s : seul application/fhir+ndjson est produit", f)
			}
		case "_format":
		default:
			return unsupported(k, "le paramètre « %s » de $export n'est pas pris en charge (_type, _since, _outputFormat)", k)
		}
	}
	// The professionals come from their own read side: an export without
	// _type leaves them out where this service serves none, one that
	// names them is refused.
	var pros Practitioners
	if slices.ContainsFunc(types, func(t string) bool { return slices.Contains(proTypes, t) }) {
		if h.pros != nil {
			pros, err = h.pros()
		}
		switch {
		case pros != nil && err == nil:
		case named:
			return unsupported("_type", "_type : les professionnels (Practitioner, PractitionerRole) ne sont pas servis par ce service")
		default:
			types = slices.DeleteFunc(slices.Clone(types), func(t string) bool { return slices.Contains(proTypes, t) })
			pros = nil
		}
	}
	var b [12]byte
	_, _ = rand.Read(b[:])
	dir, err := os.MkdirTemp("", "ror-fhir-export-")
	if err != nil {
		return err
	}
	j := &exportJob{id: hex.EncodeToString(b[:]), request: c.BaseURL() + c.OriginalURL(), started: time.Now(), dir: dir}
	if err := h.exports.add(j); err != nil {
		removeDir(dir)
		return err
	}
	go func() {
		counts, at, err := runExport(context.Background(), d, pros, types, since, dir)
		if err != nil {
			slog.Error("fhir export", "id", j.id, "err", err)
		}
		h.exports.finish(j, counts, at, err)
	}()
	c.Set(fiber.HeaderContentLocation, base(c)+"/$export-status/"+j.id)
	return write(c, http.StatusAccepted, outcome("information", &fhirError{code: "informational",
		msg: "Export accepté : suivre " + base(c) + "/$export-status/" + j.id}))
}

func preferAsync(c *fiber.Ctx) bool {
	for _, p := range strings.Split(c.Get("Prefer"), ",") {
		if strings.EqualFold(strings.TrimSpace(p), "respond-async") {
			return true
		}
	}
	return false
}

// exportFiles are the gzipped NDJSON files of one export being written.
type exportFiles struct {
	files  []*os.File
	gz     []*gzip.Writer
	enc    map[string]*json.Encoder
	counts map[string]int
}

func createExportFiles(dir string, types []string) (*exportFiles, error) {
	x := &exportFiles{enc: map[string]*json.Encoder{}, counts: map[string]int{}}
	for _, t := range types {
		f, err := os.Create(filepath.Join(dir, t+".ndjson.gz"))
		if err != nil {
			x.close()
			return nil, err
		}
		gz, _ := gzip.NewWriterLevel(f, gzip.BestSpeed) // a valid level: no error
		x.files, x.gz = append(x.files, f), append(x.gz, gz)
		x.enc[t] = json.NewEncoder(gz)
		x.enc[t].SetEscapeHTML(false)
		x.counts[t] = 0
	}
	return x, nil
}

// close ends every file; the first error is the export's.
func (x *exportFiles) close() error {
	var first error
	for i, f := range x.files {
		if err := errors.Join(x.gz[i].Close(), f.Close()); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// emit writes r to its type's file when that type is exported and r
// changed at or after since.
func (x *exportFiles) emit(typ string, r Resource, updated, since time.Time) error {
	if x.enc[typ] == nil || !since.IsZero() && updated.Before(since) {
		return nil
	}
	x.counts[typ]++
	return x.enc[typ].Encode(r)
}

// runExport writes to dir every resource of types updated at or after since.
func runExport(ctx context.Context, d Records, pros Practitioners, types []string, since time.Time, dir string) (map[string]int, time.Time, error) {
	at := time.Now()
	x, err := createExportFiles(dir, types)
	if err != nil {
		return nil, at, err
	}
	if err := writeExport(ctx, d, x, since); err != nil {
		x.close()
		return nil, at, err
	}
	if err := writeProExport(ctx, pros, x, since); err != nil {
		x.close()
		return nil, at, err
	}
	if err := x.close(); err != nil {
		return nil, at, err
	}
	return x.counts, at, nil
}

func writeExport(ctx context.Context, d Records, x *exportFiles, since time.Time) error {
	b := newBuilder(d)
	emit := func(typ string, r Resource, updated time.Time) error { return x.emit(typ, r, updated, since) }
	if x.enc["Organization"] != nil {
		var egs []ror.EG
		d.EachEG(func(eg *ror.EG) bool { egs = append(egs, *eg); return true })
		type ejRec struct {
			ej    ror.EJ
			since time.Time
		}
		var ejs []ejRec
		d.EachEJ(func(ej ror.EJ, s time.Time) bool { ejs = append(ejs, ejRec{ej, s}); return true })
		for i := range ejs {
			if err := emit("Organization", b.ejOrganization(ejs[i].ej, ejs[i].since), ejs[i].since); err != nil {
				return err
			}
		}
		for i := range egs {
			if err := emit("Organization", b.egOrganization(&egs[i]), egs[i].UpdatedAt); err != nil {
				return err
			}
		}
	}
	if x.enc["Location"] == nil && x.enc["HealthcareService"] == nil {
		return nil
	}
	hits, _, err := d.Offers(ctx, ror.OfferQuery{All: true})
	if err != nil {
		return err
	}
	lieux := map[string]bool{} // each declared lieu once, after the first unit there
	for i := range hits {
		h := &hits[i]
		updated := lastOf(h.UO.UpdatedAt, h.UO.Capacite.UpdatedAt)
		for _, id := range declaredLieux(&h.UO) {
			if lieux[id] {
				continue
			}
			lieux[id] = true
			if l := b.lieuResource(id); l != nil {
				if err := emit("Location", l, metaTime(l.Meta)); err != nil {
					return err
				}
			}
		}
		if h.Activite <= 0 {
			if err := emit("Location", b.location(&h.UO, &h.EG), updated); err != nil {
				return err
			}
		}
		for _, m := range modeVariants(&h.UO) {
			if err := emit("HealthcareService", b.healthcareService(&h.UO, &h.EG, h.Activite, m), updated); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeProExport writes the professionals: a Practitioner each, a
// PractitionerRole per place of practice, read from one snapshot.
func writeProExport(ctx context.Context, pros Practitioners, x *exportFiles, since time.Time) error {
	if pros == nil || x.enc["Practitioner"] == nil && x.enc["PractitionerRole"] == nil {
		return nil
	}
	_, roles, err := pros.Roles(ctx, ror.ProQuery{}, 0, math.MaxInt)
	if err != nil {
		return err
	}
	nom := pros.Nomenclature()
	seen := map[string]bool{}
	for _, r := range roles {
		if !seen[r.RPPS] {
			seen[r.RPPS] = true
			if err := x.emit("Practitioner", practitioner(r.Professional), r.UpdatedAt, since); err != nil {
				return err
			}
		}
		if err := x.emit("PractitionerRole", practitionerRole(nom, r.Professional, r.Place), r.UpdatedAt, since); err != nil {
			return err
		}
	}
	return nil
}

type exportManifest struct {
	TransactionTime     string         `json:"transactionTime"`
	Request             string         `json:"request"`
	RequiresAccessToken bool           `json:"requiresAccessToken"`
	Output              []exportOutput `json:"output"`
	Error               []exportOutput `json:"error"`
	Extension           map[string]any `json:"extension,omitempty"`
}

type exportOutput struct {
	Type  string `json:"type"`
	URL   string `json:"url"`
	Count int    `json:"count"`
}

// exportStatus answers GET /fhir/$export-status/{id}.
func (h *Handler) exportStatus(c *fiber.Ctx) error {
	j := h.exports.get(c.Params("id"))
	if j == nil {
		return notFound("Export « %s » inconnu ou expiré.", c.Params("id"))
	}
	h.exports.mu.Lock()
	done, err, counts, at := j.done, j.err, j.counts, j.at
	h.exports.mu.Unlock()
	if !done {
		c.Set("X-Progress", "en cours depuis "+time.Since(j.started).Round(time.Second).String())
		c.Set(fiber.HeaderRetryAfter, "2")
		return c.SendStatus(http.StatusAccepted)
	}
	if err != nil {
		return &fhirError{status: http.StatusInternalServerError, code: "exception", msg: "L'export a échoué : l'incident est journalisé."}
	}
	m := exportManifest{TransactionTime: instant(at), Request: j.request, Output: []exportOutput{}, Error: []exportOutput{}}
	for _, t := range exportTypes {
		if _, ok := counts[t]; ok {
			m.Output = append(m.Output, exportOutput{Type: t, URL: base(c) + "/$export-file/" + j.id + "/" + t + ".ndjson", Count: counts[t]})
		}
	}
	c.Set(fiber.HeaderExpires, at.Add(exportTTL).UTC().Format(http.TimeFormat))
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Status(http.StatusOK).Send(buf.Bytes())
}

// exportDelete answers DELETE /fhir/$export-status/{id}.
func (h *Handler) exportDelete(c *fiber.Ctx) error {
	if !h.exports.remove(c.Params("id")) {
		return notFound("Export « %s » inconnu ou expiré.", c.Params("id"))
	}
	return c.SendStatus(http.StatusAccepted)
}

// exportFile answers GET /fhir/$export-file/{id}/{Type}.ndjson, streamed
// from its file: gzipped as stored when the client accepts it (Bulk Data
// clients do), else inflated on the way.
func (h *Handler) exportFile(c *fiber.Ctx) error {
	j := h.exports.get(c.Params("id"))
	typ, ok := strings.CutSuffix(c.Params("file"), ".ndjson")
	if j == nil || !ok {
		return notFound("Fichier d'export inconnu ou expiré.")
	}
	h.exports.mu.Lock()
	_, has := j.counts[typ]
	done := j.done && j.err == nil
	h.exports.mu.Unlock()
	if !done || !has {
		return notFound("L'export « %s » n'a pas de fichier %s.", j.id, typ)
	}
	f, err := os.Open(filepath.Join(j.dir, typ+".ndjson.gz"))
	if err != nil {
		return notFound("Fichier d'export inconnu ou expiré.")
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	c.Set(fiber.HeaderContentType, "application/fhir+ndjson")
	c.Vary(fiber.HeaderAcceptEncoding)
	body := &progressReader{r: f, closers: []io.Closer{f}, conn: c.Context().Conn()}
	// Fiber takes a missing Accept-Encoding as « anything »; curl without
	// --compressed would then get gzip bytes: only a named gzip gets them.
	if c.Get(fiber.HeaderAcceptEncoding) != "" && c.AcceptsEncodings("gzip") == "gzip" {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Status(http.StatusOK).SendStream(body, int(st.Size()))
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return err
	}
	body.r, body.closers = zr, append(body.closers, zr)
	return c.Status(http.StatusOK).SendStream(body, -1)
}

// progressReader streams a file to a client, moving the connection's write
// deadline exportIdle past each read: a slow client that keeps reading gets
// the whole file, one that stops is cut off.
type progressReader struct {
	r       io.Reader
	closers []io.Closer
	conn    net.Conn
}

func (p *progressReader) Read(b []byte) (int, error) {
	if p.conn != nil {
		_ = p.conn.SetWriteDeadline(time.Now().Add(exportIdle))
	}
	return p.r.Read(b)
}

// Close is called by fasthttp once the body is written (or the client gone).
func (p *progressReader) Close() error {
	var first error
	for i := len(p.closers) - 1; i >= 0; i-- {
		if err := p.closers[i].Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
