-- wrk script: a realistic mix of coordinator and map-client requests, used by
-- `make load` and `ror bench` (make bench). Eight kinds of request in turn,
-- five of them searches; each kind rotates over its variants (16 communes
-- of several regions, several criteria), so that a run asks some 400
-- different URLs as coordinators across France would.
--
-- WRK_DELAY_MS (environment) paces each connection with a random think time
-- of that mean (exponential): an offered load instead of a saturating one.

local communes = {"75110", "33063", "69381", "13201", "31555", "59350", "67482", "44109",
  "34172", "06088", "35238", "76540", "21231", "87085", "63113", "29019"}

local function each(list, fmt)
  local out = {}
  for _, c in ipairs(communes) do
    for _, x in ipairs(list) do
      out[#out + 1] = string.format(fmt, c, x)
    end
  end
  return out
end

local function dep(insee) return string.sub(insee, 1, 2) end

local psy = {}
for _, c in ipairs(communes) do
  psy[#psy + 1] = string.format("/api/v1/search?ou=insee:%s&dans=types-uo&q=psychiatrie&mode=28&departement=%s", c, dep(c))
  psy[#psy + 1] = string.format("/api/v1/search?ou=insee:%s&dans=tout&q=medecine&departement=%s&statut=actif&patientele=adulte", c, dep(c))
end

local kinds = {
  -- searches
  {search = true, paths = each({"20", "121", "290", "262", "149"}, "/api/v1/search?ou=insee:%s&dans=types-uo&code=%s")},
  {search = true, paths = each({"medecine", "centre", "soins", "clinique", "hospitalier"}, "/api/v1/search?ou=insee:%s&dans=tout&q=%s")},
  {search = true, paths = each({"obesite", "obesite&page=2", "obesite&rayon=50"}, "/api/v1/search?ou=insee:%s&dans=filieres&code=%s")},
  {search = true, paths = psy},
  {search = true, paths = {"/api/v1/search?q=maternite&tri=pertinence", "/api/v1/search?q=psychiatrie&tri=pertinence",
    "/api/v1/search?q=urgences&tri=pertinence", "/api/v1/search?q=reanimation&tri=pertinence",
    "/api/v1/search?q=centre&tri=pertinence&page=2", "/api/v1/search?dans=noms&q=clinique%20saint&tri=pertinence"}},
  -- what the page asks around them
  {paths = {"/api/v1/suggestions?q=obes", "/api/v1/suggestions?q=urgen", "/api/v1/suggestions?q=psy",
    "/api/v1/suggestions?q=cardio", "/api/v1/suggestions?q=clinique%20sa", "/api/v1/suggestions?q=mater&dans=types-uo",
    "/api/v1/suggestions?q=reanim", "/api/v1/suggestions?q=pediatr"}},
  {paths = {"/api/v1/communes?q=saint", "/api/v1/communes?q=paris%2010", "/api/v1/communes?q=bord",
    "/api/v1/communes?q=lyon", "/api/v1/communes?q=33000", "/api/v1/communes?q=mars"}},
  {paths = each({"obesite-severe", "urgences", "reanimation", "maternite"}, "/api/v1/proximite?ou=insee:%s&besoin=%s")},
}

local mean = tonumber(os.getenv("WRK_DELAY_MS") or "0")
local i = 0

function delay()
  if mean <= 0 then return 0 end
  return -mean * math.log(1 - math.random())
end

request = function()
  i = i + 1
  local k = kinds[(i % #kinds) + 1]
  local n = math.floor(i / #kinds)
  return wrk.format("GET", k.paths[(n % #k.paths) + 1])
end

function done(summary, latency, requests)
  local s = 0
  for _, k in ipairs(kinds) do
    if k.search then s = s + 1 end
  end
  io.write(string.format("part des recherches: %d/%d\n", s, #kinds))
end
