# Writes the hostile-input suite (one JSON file per group) beside this
# script: the cases are the data TestHostileInputs runs; edit here, run
# `python3 gen.py`, review the diff. Status 200 cases are inputs the service
# tolerates (ignored parameter), never a write.
import json, base64, os
HERE = os.path.dirname(os.path.abspath(__file__))
P="/problems/parametre-invalide"; NF="/problems/introuvable"; FB="/problems/acces-refuse"; AU="/problems/authentification"
MNA="/problems/methode-non-autorisee"; TL="/problems/requete-trop-grande"; CF="/problems/conflit"
cases={}
def add(group, name, method, path, status, typ="", auth="", body=None, ctype=None, headers=None, fill=None, b64=None):
    c={"name":name,"method":method,"path":path}
    if auth: c["auth"]=auth
    if headers: c["headers"]=headers
    if ctype: c["headers"]=dict(c.get("headers",{}), **{"Content-Type":ctype})
    if body is not None: c["body"]=body
    if b64 is not None: c["body_base64"]=base64.b64encode(b64).decode()
    if fill: c["body_fill"]=fill
    c["status"]=status
    if typ: c["type"]=typ
    cases.setdefault(group,[]).append(c)
J="application/json"
# ---- reads: search
S="/api/v1/search"
for name,qs,field in [
 ("unknown commune","ou=Pariss&q=urgences",P),("empty ou: no commune, no distance","ou=&dans=types-uo&q=x","OK"),
 ("page 0","q=urgences&page=0",P),("page 15","q=urgences&page=15",P),("page negative","q=urgences&page=-1",P),("page not a number","q=urgences&page=deux",P),
 ("page huge","q=urgences&page=99999999999999999999",P),("tri unknown","q=urgences&tri=hasard",P),("dans unknown","q=x&dans=tout%27%20OR%201=1",P),
 ("rayon zero","ou=75110&q=x&rayon=0",P),("rayon negative","ou=75110&q=x&rayon=-5",P),("rayon too large","ou=75110&q=x&rayon=1001",P),("rayon NaN","ou=75110&q=x&rayon=NaN",P),("rayon Inf","ou=75110&q=x&rayon=Inf",P),
 ("rayon without ou","q=x&rayon=10",P),("bbox three numbers","bbox=1,2,3",P),("bbox letters","bbox=a,b,c,d",P),("bbox out of range","bbox=-200,0,200,95",P),("bbox inverted","bbox=10,50,2,40",P),
 ("text too long","q="+"a"*201,P),("text invalid utf8","q=%ff%fe",P),("departement 999","q=x&departement=999",P),("departement 20","q=x&departement=20",P),("departement injection","q=x&departement=75%27%3B--",P),
 ("unknown type_uo","q=x&type_uo=99999",P),("unknown acte","q=x&acte=%3Cscript%3E",P),("unknown statut","q=x&statut=ouvert",P),("unknown origine","q=x&origine=mars",P),("unknown patientele","q=x&patientele=chat",P),
 ("unknown mode","q=x&mode=..%2F..%2Fetc%2Fpasswd",P),("facette_complete unknown","q=x&facette_complete=tout",P),("code unknown in dans","dans=types-uo&code=0000",P),("explain not a flag: ignored","q=x&explain=peut-etre","OK"),
 ("null byte in text","q=urg%00ences",P),("ou null byte","ou=75%00110&q=x",P),("ou way too long","ou="+"7"*300+"&q=x",P),
 ]:
    add("search",name,"GET",S+"?"+qs,200 if field=="OK" else 400,"" if field=="OK" else field)
for name,qs in [("xlsx bad page","q=x&page=0"),("xlsx unknown commune","ou=Pariss&q=x"),("xlsx departement 999","q=x&departement=999"),("xlsx rayon negative","ou=75110&q=x&rayon=-1")]:
    add("search",name,"GET","/api/v1/search.xlsx?"+qs,400,P)
for name,qs in [("geojson bad page","q=x&page=0"),("geojson unknown commune","ou=Pariss&q=x"),("geojson bbox letters","bbox=a,b,c,d"),("geojson departement 999","q=x&departement=999")]:
    add("search",name,"GET","/api/v1/search.geojson?"+qs,400,P)
# communes / suggestions
for name,qs,st in [("communes text too long","q="+"x"*201,400),("communes invalid utf8","q=%c3%28",400),("communes null byte","q=par%00is",400),("communes unknown parameter ignored","q=paris&limit=abc",200)]:
    add("reads",name,"GET","/api/v1/communes?"+qs,st,P if st==400 else "")
for name,qs,st in [("suggestions unknown dans","q=obes&dans=partout",400),("suggestions too long","q="+"o"*201,400),("suggestions invalid utf8","q=%ff",400),("suggestions sql-like","q=%27%20OR%201%3D1--",200)]:
    add("reads",name,"GET","/api/v1/suggestions?"+qs,st,P if st==400 else "")
# fiche
for name,f,st,t in [("fiche malformed finess","01000002",400,P),("fiche letters","ABCDEFGHI",400,P),("fiche path traversal","..%2F..%2Fetc",400,P),("fiche unknown","999999999",404,NF),("fiche too long","0"*300,400,P),("fiche injection","010000024%27%20OR%201%3D1",400,P)]:
    add("reads",name,"GET","/api/v1/eg/"+f,st,t)
# proximite
N="/api/v1/proximite"
for name,qs in [("no ou","besoin=urgences"),("unknown besoin","ou=91228&besoin=licorne"),("limit zero","ou=91228&besoin=urgences&limit=0"),("limit huge","ou=91228&besoin=urgences&limit=100000"),
 ("limit letters","ou=91228&besoin=urgences&limit=dix"),("latitude out of range","ou=91.5,2.3&besoin=urgences"),("longitude out of range","ou=48.8,181&besoin=urgences"),("position NaN","ou=NaN,NaN&besoin=urgences"),
 ("lits negative","ou=91228&besoin=urgences&lits_disponibles=-1"),("lits letters","ou=91228&besoin=urgences&lits_disponibles=beaucoup"),("lits huge","ou=91228&besoin=urgences&lits_disponibles=99999999999999999999"),
 ("unknown equipement","ou=91228&equipement=%3Cimg%20src%3Dx%3E"),("unknown type_uo","ou=91228&type_uo=1%3B%20DROP%20TABLE"),("unknown patientele","ou=91228&besoin=urgences&patientele=martien"),("unknown commune","ou=Pariss&besoin=urgences")]:
    add("proximite",name,"GET",N+"?"+qs,400,P)
# methods
for m,p in [("DELETE","/api/v1/search"),("PATCH","/api/v1/uo/010000024-REA/capacitaire"),("TRACE","/api/v1/search"),("FOO","/api/v1/search"),("DELETE","/api/v1/brouillons/abc"),("PUT","/api/v1/anomalies"),("POST","/api/v1/search"),("PUT","/api/v1/eg/010000024"),("DELETE","/api/v1/capacitaire"),("GET","/api/v1/capacitaire"),("OPTIONS","/api/v1/anomalies/x/cloture"),("PROPFIND","/api/v1/eg/010000024")]:
    add("methods",m+" "+p,m,p,405,MNA)
for m,p in [("GET","/api/v1/nulle-part"),("GET","/api/v2/search"),("FOO","/nulle-part"),("GET","/api/v1/uo/x/capacitaire/../../../etc/passwd")]:
    add("methods","unknown route "+m+" "+p,m,p,404,NF)
# auth on write routes
CAP="/api/v1/uo/010000024-REA/capacitaire"
good='{"lits_installes":12,"lits_disponibles":3}'
for name,h in [("no token",None),("bearer empty",{"Authorization":"Bearer "}),("basic scheme",{"Authorization":"Basic YWRtaW46YWRtaW4="}),("forged token",{"Authorization":"Bearer "+"a"*64}),
 ("token with newline-free junk",{"Authorization":"Bearer ../../etc/passwd"}),("lowercase bearer",{"Authorization":"bearer xyz"}),("very long token",{"Authorization":"Bearer "+"z"*4000})]:
    add("auth","PUT capacitaire "+name,"PUT",CAP,401,AU,headers=h,ctype=J,body=good)
    add("auth","POST feed "+name,"POST","/api/v1/capacitaire",401,AU,headers=h,ctype=J,body="[]")
for p in ["/api/v1/eg/010000024/historique","/api/v1/admin/sauvegarde","/api/v1/anomalies","/api/v1/anomalies/abc","/api/v1/brouillons/abc"]:
    add("auth","GET "+p+" without token","GET",p,401,AU)
add("auth","backup as gestionnaire","GET","/api/v1/admin/sauvegarde",403,FB,auth="gestionnaire")
add("auth","backup as lecteur","GET","/api/v1/admin/sauvegarde",403,FB,auth="lecteur")
add("auth","anomalies as lecteur","GET","/api/v1/anomalies",403,FB,auth="lecteur")
add("auth","anomalies as gestionnaire","GET","/api/v1/anomalies",403,FB,auth="gestionnaire")
add("auth","feed as lecteur (before any line is read)","POST","/api/v1/capacitaire",403,FB,auth="lecteur",ctype="text/csv",body="pas un flux")
add("auth","feed as référent","POST","/api/v1/capacitaire",403,FB,auth="referent",ctype=J,body="[")
add("auth","PUT beds as référent","PUT",CAP,403,FB,auth="referent",ctype=J,body=good)
add("auth","PUT beds outside the scope","PUT","/api/v1/uo/010000032-URG/capacitaire",403,FB,auth="gestionnaire",ctype=J,body=good)
add("auth","draft as lecteur","POST","/api/v1/brouillons",403,FB,auth="lecteur",ctype=J,body='{"finess_eg":"010000024","operations":[{"op":"fermer_uo","uo":{"id":"010000024-REA","finess_eg":"010000024"}}]}')
add("auth","draft as gestionnaire","POST","/api/v1/brouillons",403,FB,auth="gestionnaire",ctype=J,body='{"finess_eg":"010000024","operations":[{"op":"fermer_uo","uo":{"id":"010000024-REA","finess_eg":"010000024"}}]}')
# capacitaire PUT
for name,b,st,t in [
 ("empty object","{}",400,P),("null","null",400,P),("empty body","",400,P),("array","[]",400,P),("string",'"douze"',400,P),("number","12",400,P),
 ("installes missing",'{"lits_disponibles":3}',400,P),("disponibles missing",'{"lits_installes":12}',400,P),("installes as string",'{"lits_installes":"12","lits_disponibles":3}',400,P),
 ("installes float",'{"lits_installes":12.5,"lits_disponibles":3}',400,P),("installes negative",'{"lits_installes":-1,"lits_disponibles":0}',400,P),("installes huge",'{"lits_installes":99999999999999999999,"lits_disponibles":0}',400,P),
 ("installes above 10000",'{"lits_installes":10001,"lits_disponibles":0}',400,P),("disponibles above open",'{"lits_installes":5,"lits_disponibles":6}',400,P),("fermes above installed",'{"lits_installes":5,"lits_fermes":6,"lits_disponibles":0}',400,P),
 ("disponibles negative",'{"lits_installes":5,"lits_disponibles":-2}',400,P),("supplementaires negative",'{"lits_installes":5,"lits_supplementaires":-1,"lits_disponibles":0}',400,P),
 ("maj 2099",'{"lits_installes":12,"lits_disponibles":1,"maj":"2099-01-01T00:00:00Z"}',400,P),("maj 1900",'{"lits_installes":12,"lits_disponibles":1,"maj":"1900-01-01T00:00:00Z"}',400,P),
 ("maj not a date",'{"lits_installes":12,"lits_disponibles":1,"maj":"hier"}',400,P),("maj as number",'{"lits_installes":12,"lits_disponibles":1,"maj":1700000000}',400,P),("maj date only",'{"lits_installes":12,"lits_disponibles":1,"maj":"2026-12-01"}',400,P),
 ("unknown field",'{"lits_installes":12,"lits_disponibles":1,"admin":true}',400,P),("trailing data",'{"lits_installes":12,"lits_disponibles":1} {"x":1}',400,P),("truncated",'{"lits_installes":12,',400,P),
 ("duplicate keys prototype",'{"__proto__":{"x":1},"lits_installes":1,"lits_disponibles":1}',400,P),("nested object as count",'{"lits_installes":{"$gt":0},"lits_disponibles":1}',400,P),
 ("boolean count",'{"lits_installes":true,"lits_disponibles":1}',400,P),("null count",'{"lits_installes":null,"lits_disponibles":1}',400,P),
 ]:
    add("capacitaire","PUT "+name,"PUT",CAP,st,t,auth="gestionnaire",ctype=J,body=b)
add("capacitaire","PUT invalid utf8 body","PUT",CAP,400,P,auth="gestionnaire",ctype=J,b64=b'{"lits_installes":\xff12,"lits_disponibles":1}')
add("capacitaire","PUT unknown unit","PUT","/api/v1/uo/010000024-NULLEPART/capacitaire",404,NF,auth="admin",ctype=J,body=good)
add("capacitaire","PUT traversal unit","PUT","/api/v1/uo/..%2F..%2Fetc%2Fpasswd/capacitaire",404,NF,auth="admin",ctype=J,body=good)
add("capacitaire","PUT body over 1 MiB","PUT",CAP,413,TL,auth="gestionnaire",ctype=J,fill={"template":'{"lits_installes":12,"lits_disponibles":1,"x":"%s"}',"n":1100000})
F="/api/v1/capacitaire"
for name,b,ct,st,t in [
 ("json not an array",'{"uo":"010000024-REA"}',J,400,P),("json null: an empty feed","null",J,200,""),("json truncated","[{",J,400,P),("json lines of wrong type","[1,2,3]",J,400,P),
 ("json unknown field",'[{"uo":"010000024-REA","lits_installes":1,"lits_disponibles":1,"x":1}]',J,400,P),
 ("json line missing counts",'[{"uo":"010000024-REA"}]',J,422,""),("json line unknown unit",'[{"uo":"nulle-part","lits_installes":1,"lits_disponibles":1}]',J,422,""),
 ("json line maj 2099",'[{"uo":"010000024-REA","lits_installes":12,"lits_disponibles":1,"maj":"2099-01-01T00:00:00Z"}]',J,422,""),
 ("json twice the same unit",'[{"uo":"010000024-SI","lits_installes":6,"lits_disponibles":1},{"uo":"010000024-SI","lits_installes":6,"lits_disponibles":2}]',J,207,""),
 ("mode unknown","[]",J,400,P),
 ("csv empty","","text/csv",400,P),("csv header only wrong","a,b,c\n1,2,3\n","text/csv",400,P),("csv missing column","uo,lits_installes\n010000024-REA,12\n","text/csv",400,P),
 ("csv letters in counts","uo,lits_installes,lits_fermes,lits_indetermines,lits_supplementaires,lits_disponibles\n010000024-REA,douze,0,0,0,1\n","text/csv",422,""),
 ("csv empty required cell","uo,lits_installes,lits_fermes,lits_indetermines,lits_supplementaires,lits_disponibles\n010000024-REA,,0,0,0,1\n","text/csv",422,""),
 ("csv formula cell","uo,lits_installes,lits_fermes,lits_indetermines,lits_supplementaires,lits_disponibles\n=HYPERLINK(\"x\"),1,0,0,0,1\n","text/csv",422,""),
 ("csv bad quote","uo,lits_installes,lits_fermes,lits_indetermines,lits_supplementaires,lits_disponibles\n\"010000024-REA,1,0,0,0,1\n","text/csv",422,""),
 ("csv maj malformed","uo,lits_installes,lits_fermes,lits_indetermines,lits_supplementaires,lits_disponibles,maj\n010000024-REA,12,0,0,0,1,demain\n","text/csv",422,""),
 ]:
    path=F+("?mode=n-importe" if name=="mode unknown" else "")
    add("capacitaire","feed "+name,"POST",path,st,t,auth="gestionnaire",ctype=ct,body=b)
add("capacitaire","feed 5,001 json lines","POST",F,400,P,auth="gestionnaire",ctype=J,fill={"template":"[%s]","n":5001,"item":'{"uo":"010000024-REA","lits_installes":1,"lits_disponibles":1}'})
add("capacitaire","feed over 1 MiB","POST",F,413,TL,auth="gestionnaire",ctype="text/csv",fill={"template":"uo,lits_installes,lits_fermes,lits_indetermines,lits_supplementaires,lits_disponibles\n%s","n":1100000})
add("capacitaire","feed csv utf16","POST",F,400,P,auth="gestionnaire",ctype="text/csv",b64="uo,lits_installes\n".encode("utf-16"))
# anomalies
A="/api/v1/anomalies"
ok_an={"finess":"010000024","champ":"telephone","description":"Le numéro a changé","email":"a.b@example.org"}
def an(**kw):
    d=dict(ok_an); d.update(kw); return json.dumps(d, ensure_ascii=False)
for name,b,st in [
 ("empty object","{}",400),("null","null",400),("array","[]",400),("unknown finess",an(finess="999999999"),400),("malformed finess",an(finess="ABC"),400),
 ("unit of another EG",an(uo="010000032-URG"),400),("no description",an(description=""),400),("blank description",an(description="   "),400),("description too long",an(description="x"*2001),400),
 ("field too long",an(champ="c"*101),400),("no email",an(email=""),400),("email without domain",an(email="a@b"),400),("email with spaces",an(email="a b@example.org"),400),("email header injection",an(email="a@example.org\r\nBcc: x@y.z"),400),
 ("email formula",an(email="=HYPERLINK(\"http://x\")@example.org"),400),("email too long",an(email="a"*250+"@example.org"),400),("finess as number",'{"finess":10000024,"champ":"x","description":"y","email":"a@b.fr"}',400),
 ("unknown field",an(id="fixe"),400),("trailing data",an()+"{}",400),("statut forced",'{"finess":"010000024","champ":"x","description":"y","email":"a@b.fr","statut":"close","x":1}',400),
 ]:
    add("anomalies","POST "+name,"POST",A,st,P,ctype=J,body=b)
add("anomalies","POST invalid utf8","POST",A,400,P,ctype=J,b64=b'{"finess":"010000024","champ":"x","description":"\xff\xfe","email":"a@b.fr"}')
add("anomalies","POST over 1 MiB","POST",A,413,TL,ctype=J,fill={"template":'{"finess":"010000024","champ":"x","email":"a@b.fr","description":"%s"}',"n":1100000})
for name,qs in [("statut unknown","statut=toutes"),("eg malformed","eg=123"),("limit zero","limit=0"),("limit huge","limit=100000"),("limit letters","limit=dix"),("cursor forged","curseur=..%2F..%2F"),("cursor not hex","curseur=zz.abc"),("eg injection","eg=010000024%27%20OR%20%271")]:
    add("anomalies","GET list "+name,"GET",A+"?"+qs,400,P,auth="admin")
add("anomalies","GET list another EG as référent","GET",A+"?eg=010000032",403,FB,auth="referent")
add("anomalies","GET unknown id","GET",A+"/0123456789abcdef",404,NF,auth="admin")
add("anomalies","GET traversal id","GET",A+"/..%2F..%2Fanom",404,NF,auth="admin")
for name,b,st,t in [("close unknown",'{"resolution":"ok"}',404,NF),("close empty body","",400,P),("close null","null",404,NF),("close resolution too long",json.dumps({"resolution":"r"*2001}),404,NF),("close wrong type",'{"resolution":42}',400,P)]:
    add("anomalies",name,"POST",A+"/0123456789abcdef/cloture",st,t,auth="admin",ctype=J,body=b)
# drafts
D="/api/v1/brouillons"
uo=lambda **kw: dict({"id":"010000024-H1","finess_eg":"010000024","nom":"Unité hostile","type_uo":"167","champ_activite":"01","activites":["099"],"patientele":{"enfant":True},"statut":"actif"}, **kw)
def dr(ops, eg="010000024"): return json.dumps({"finess_eg":eg,"operations":ops}, ensure_ascii=False)
eg_ok={"telephone":"0474454600","email":"accueil@ch.example","horaires":"24h/24"}
for name,b,st,t in [
 ("empty object","{}",400,P),("null","null",400,P),("no operations",dr([]),400,P),("unknown op",dr([{"op":"supprimer_tout"}]),400,P),
 ("finess malformed",dr([{"op":"modifier_eg","eg":eg_ok,"version_base":1}],eg="12"),400,P),("finess unknown",dr([{"op":"modifier_eg","eg":eg_ok,"version_base":1}],eg="999999999"),400,P),
 ("creer_uo without uo",dr([{"op":"creer_uo"}]),400,P),("creer_uo id traversal",dr([{"op":"creer_uo","uo":uo(id="010000024-X/../../Y")}]),400,P),
 ("creer_uo id of another EG",dr([{"op":"creer_uo","uo":uo(id="010000032-H1")}]),400,P),("creer_uo id lower case",dr([{"op":"creer_uo","uo":uo(id="010000024-h1")}]),400,P),
 ("creer_uo id empty code",dr([{"op":"creer_uo","uo":uo(id="010000024-")}]),400,P),("creer_uo id with space",dr([{"op":"creer_uo","uo":uo(id="010000024-A B")}]),400,P),
 ("creer_uo unit of another EG",dr([{"op":"creer_uo","uo":uo(finess_eg="010000032")}]),400,P),("creer_uo unknown type_uo",dr([{"op":"creer_uo","uo":uo(type_uo="9999")}]),400,P),
 ("creer_uo unknown acte",dr([{"op":"creer_uo","uo":uo(actes=["<script>"])}]),400,P),("creer_uo unknown statut",dr([{"op":"creer_uo","uo":uo(statut="detruit")}]),400,P),
 ("creer_uo name too long",dr([{"op":"creer_uo","uo":uo(nom="n"*201)}]),400,P),("creer_uo horaires 200 kB",dr([{"op":"creer_uo","uo":uo(horaires="h"*200000)}]),400,P),
 ("creer_uo phone formula",dr([{"op":"creer_uo","uo":uo(telephone="=HYPERLINK(\"http://x\")")}]),400,P),("creer_uo phone letters",dr([{"op":"creer_uo","uo":uo(telephone="zéro quatre")}]),400,P),
 ("creer_uo control characters",dr([{"op":"creer_uo","uo":uo(nom="Unité\u0007\u001b[31m")}]),400,P),("creer_uo 501 actes",dr([{"op":"creer_uo","uo":uo(actes=["x"]*501)}]),400,P),
 ("creer_uo wrong type for actes",dr([{"op":"creer_uo","uo":uo(actes="tous")}]),400,P),
 ("modifier_eg without eg",dr([{"op":"modifier_eg","version_base":1}]),400,P),("modifier_eg phone formula",dr([{"op":"modifier_eg","eg":dict(eg_ok,telephone="=HYPERLINK(\"http://x\",\"appeler\")"),"version_base":1}]),400,P),
 ("modifier_eg phone too short",dr([{"op":"modifier_eg","eg":dict(eg_ok,telephone="0474"),"version_base":1}]),400,P),("modifier_eg email invalid",dr([{"op":"modifier_eg","eg":dict(eg_ok,email="pas-une-adresse"),"version_base":1}]),400,P),
 ("modifier_eg email formula",dr([{"op":"modifier_eg","eg":dict(eg_ok,email="=1+1@x.fr"),"version_base":1}]),400,P),("modifier_eg horaires 200 kB",dr([{"op":"modifier_eg","eg":dict(eg_ok,horaires="h"*200000),"version_base":1}]),400,P),
 ("modifier_eg horaires control chars",dr([{"op":"modifier_eg","eg":dict(eg_ok,horaires="8h\u0000-18h"),"version_base":1}]),400,P),
 ("version_base as string",dr([{"op":"modifier_eg","eg":eg_ok,"version_base":"1"}]),400,P),("fermer_uo without uo",dr([{"op":"fermer_uo"}]),400,P),
 ("unknown top-level field",'{"finess_eg":"010000024","operations":[],"statut":"publie"}',400,P),("operations as object",'{"finess_eg":"010000024","operations":{}}',400,P),
 ("truncated",'{"finess_eg":"0100',400,P),
 ]:
    add("brouillons","POST "+name,"POST",D,st,t,auth="referent",ctype=J,body=b)
add("brouillons","POST 10,000 operations","POST",D,400,P,auth="referent",ctype=J,fill={"template":'{"finess_eg":"010000024","operations":[%s]}',"n":10000,"item":'{"op":"fermer_uo","uo":{"id":"010000024-REA","finess_eg":"010000024"}}'})
add("brouillons","POST invalid utf8","POST",D,400,P,auth="referent",ctype=J,b64=b'{"finess_eg":"010000024","operations":[{"op":"modifier_eg","eg":{"telephone":"","email":"","horaires":"\xc3\x28"},"version_base":1}]}')
add("brouillons","POST over 1 MiB","POST",D,413,TL,auth="referent",ctype=J,fill={"template":'{"finess_eg":"010000024","operations":[{"op":"modifier_eg","eg":{"telephone":"","email":"","horaires":"%s"},"version_base":1}]}',"n":1100000})
for name,m,p,b,st,t in [
 ("GET unknown draft","GET",D+"/0123456789abcdef",None,404,NF),("GET traversal draft","GET",D+"/..%2F..%2Fmeta",None,404,NF),
 ("PUT unknown draft","PUT",D+"/0123456789abcdef",dr([{"op":"modifier_eg","eg":eg_ok,"version_base":1}]),404,NF),
 ("PUT null","PUT",D+"/0123456789abcdef","null",404,NF),
 ("submit unknown draft","POST",D+"/0123456789abcdef/soumettre",'{"version":1}',404,NF),("unknown action","POST",D+"/0123456789abcdef/detruire",'{}',404,NF),
 ("submit version as string","POST",D+"/0123456789abcdef/soumettre",'{"version":"1"}',400,P),("submit truncated","POST",D+"/0123456789abcdef/soumettre",'{"version":',400,P),
 ]:
    add("brouillons",name,m,p,st,t,auth="referent",ctype=J if b is not None else None,body=b)
for name,b,st,t in [("validate as référent",'{}',403,FB)]:
    add("brouillons",name,"POST",D+"/0123456789abcdef/valider",st,t,auth="referent",ctype=J,body=b)
for name,b,st,t in [("validate date malformed",'{"date_effet":"demain"}',400,P),("validate date 9999 of an unknown draft",'{"date_effet":"9999-01-01T00:00:00Z"}',404,NF),("reject without reason",'{}',404,NF)]:
    add("brouillons",name,"POST",D+"/0123456789abcdef/"+("rejeter" if "reject" in name else "valider"),st,t,auth="admin",ctype=J,body=b)
# headers and encodings
for name,h,st,t in [("header over 32 kB",{"X-Junk":"j"*40000},431,TL),("query string over 32 kB",None,431,TL)]:
    path="/api/v1/search?q=x" + ("&y="+"a"*40000 if h is None else "")
    add("headers",name,"GET",path,st,t,headers=h)
add("headers","json with a text/plain type","POST",A,400,P,ctype="text/plain",body="{}")
add("headers","feed json declared as xml","POST",F,400,P,auth="gestionnaire",ctype="application/xml",body="<flux/>")
add("headers","gzip body not decoded","PUT",CAP,400,P,auth="gestionnaire",headers={"Content-Encoding":"gzip","Content-Type":J},b64=b"\x1f\x8b\x08\x00garbage")
# fhir
for name,p,st in [("fhir unknown code system","/fhir/HealthcareService?specialty=http://x|1",400),("fhir bad near","/fhir/Location?near=abc",400),("fhir _count huge is capped","/fhir/Organization?_count=100000",200),
 ("fhir unknown resource","/fhir/Patient",404),("fhir bad _filter","/fhir/HealthcareService?_filter=((((",400),("fhir write","/fhir/Organization",405)]:
    add("fhir",name,"GET" if "write" not in name else "POST",p,st,"")
n=0
for g,cs in cases.items():
    json.dump(cs, open(os.path.join(HERE, g + ".json"), "w"), ensure_ascii=False, indent=1)
    n+=len(cs)
print(n, {g:len(c) for g,c in cases.items()})
