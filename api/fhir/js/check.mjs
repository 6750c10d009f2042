// Consumer-side check of the FHIR API, run by cmd/ror's tests against a
// live server: a real FHIR client (fhir-kit-client) searches, pages and
// reads, and every resource it gets is validated against FHIR R4 (fhir).
// Usage: node check.mjs http://127.0.0.1:8080/fhir < searches.json
// where searches.json lists {resourceType, searchParams} objects. Prints a
// JSON report; exits 1 when a resource is invalid or a call fails.
import { Client } from 'fhir-kit-client';
import fhirPkg from 'fhir';
import { readFileSync } from 'node:fs';

const { Fhir } = fhirPkg;
const baseUrl = process.argv[2];
const searches = JSON.parse(readFileSync(0, 'utf8'));
const client = new Client({ baseUrl });
const validator = new Fhir();
const report = { searches: [], reads: 0, validated: 0, invalid: [] };

function validate(resource, where) {
  const res = validator.validate(resource, { errorOnUnexpected: true });
  report.validated++;
  const errors = res.messages.filter((m) => m.severity === 'error');
  if (!res.valid || errors.length) {
    report.invalid.push({ where, id: `${resource.resourceType}/${resource.id}`, errors: errors.slice(0, 5) });
  }
}

try {
  validate(await client.capabilityStatement(), 'metadata');
  for (const s of searches) {
    let bundle = await client.search(s);
    validate(bundle, 'bundle');
    const entry = { ...s, total: bundle.total, entries: bundle.entry?.length ?? 0, pages: 1 };
    for (const e of bundle.entry ?? []) validate(e.resource, `${s.resourceType} search`);
    // the first match of the first page, read back below
    const first = (bundle.entry ?? []).find((e) => e.search?.mode === 'match');
    // follow the next link once, as a consumer paging through would
    if (bundle.link?.some((l) => l.relation === 'next')) {
      bundle = await client.nextPage({ bundle });
      entry.pages++;
      for (const e of bundle.entry ?? []) validate(e.resource, `${s.resourceType} page 2`);
    }
    // read back the first match of each search
    if (first) {
      const r = first.resource;
      const again = await client.read({ resourceType: r.resourceType, id: r.id });
      validate(again, 'read');
      report.reads++;
      if (JSON.stringify(again.id) !== JSON.stringify(r.id)) report.invalid.push({ where: 'read', id: r.id, errors: ['read returns another resource'] });
    }
    report.searches.push(entry);
  }
} catch (err) {
  report.error = String(err?.message ?? err) + (err?.response ? ` (HTTP ${err.response.status})` : '');
}
console.log(JSON.stringify(report));
process.exit(report.error || report.invalid.length ? 1 : 0);
