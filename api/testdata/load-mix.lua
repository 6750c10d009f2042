-- wrk script: a realistic mix of coordinator and map-client requests.
-- Used by `make load` against a server on loopback.
local paths = {
  "/api/v1/search?ou=75110&dans=types-uo&code=20",
  "/api/v1/search?ou=33063&dans=tout&q=medecine",
  "/api/v1/search?ou=69381&dans=filieres&code=obesite",
  "/api/v1/search?ou=13201&dans=types-uo&q=psychiatrie&mode=28&departement=13",
  "/api/v1/search?q=maternite&tri=pertinence",
  "/api/v1/suggestions?q=obes",
  "/api/v1/communes?q=saint",
  "/api/v1/proximite?ou=91228&besoin=obesite-severe",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
