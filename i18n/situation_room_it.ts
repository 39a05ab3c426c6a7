<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
    <context>
        <name>@default</name>
        <message>
            <source>Situation Room</source>
            <translation>Situation Room</translation>
        </message>
        <message>
            <source>Works</source>
            <translation>Cantieri</translation>
        </message>
        <message>
            <source>Draft</source>
            <translation>Bozza</translation>
        </message>
        <message>
            <source>Planned</source>
            <translation>Programmato</translation>
        </message>
        <message>
            <source>Authorized</source>
            <translation>Autorizzato</translation>
        </message>
        <message>
            <source>In progress</source>
            <translation>In corso</translation>
        </message>
        <message>
            <source>Completed</source>
            <translation>Concluso</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>Annullato</translation>
        </message>
        <message>
            <source>Project store</source>
            <translation>Archivio del progetto</translation>
        </message>
        <message>
            <source>New store…</source>
            <translation>Nuovo archivio…</translation>
        </message>
        <message>
            <source>Open store…</source>
            <translation>Apri archivio…</translation>
        </message>
        <message>
            <source>Add works layer to map</source>
            <translation>Aggiungi il layer dei cantieri alla mappa</translation>
        </message>
        <message>
            <source>Works by status</source>
            <translation>Cantieri per stato</translation>
        </message>
        <message>
            <source>Validate a works layer…</source>
            <translation>Valida un layer di cantieri…</translation>
        </message>
        <message>
            <source>Check a layer against the works schema: every problem of every record is reported</source>
            <translation>Controlla un layer rispetto allo schema dei cantieri: ogni problema di ogni record viene segnalato</translation>
        </message>
        <message>
            <source>This project has no store yet: create one to keep its works.</source>
            <translation>Questo progetto non ha ancora un archivio: creane uno per conservarne i cantieri.</translation>
        </message>
        <message>
            <source>The project's store {path} is missing.</source>
            <translation>L'archivio del progetto {path} non si trova.</translation>
        </message>
        <message>
            <source>Store: {path}</source>
            <translation>Archivio: {path}</translation>
        </message>
        <message>
            <source>New project store</source>
            <translation>Nuovo archivio del progetto</translation>
        </message>
        <message>
            <source>GeoPackage (*.gpkg)</source>
            <translation>GeoPackage (*.gpkg)</translation>
        </message>
        <message>
            <source>Open project store</source>
            <translation>Apri l'archivio del progetto</translation>
        </message>
        <message>
            <source>Cannot open the works layer of {path}</source>
            <translation>Impossibile aprire il layer dei cantieri di {path}</translation>
        </message>
        <message>
            <source>Road works</source>
            <translation>Cantieri stradali</translation>
        </message>
        <message>
            <source>Situation Room — road works coordination</source>
            <translation>Situation Room — coordinamento dei cantieri stradali</translation>
        </message>
        <message>
            <source>Problems report</source>
            <translation>Rapporto dei problemi</translation>
        </message>
        <message>
            <source>Works layer</source>
            <translation>Layer dei cantieri</translation>
        </message>
        <message>
            <source>Valid works</source>
            <translation>Cantieri validi</translation>
        </message>
        <message>
            <source>feature</source>
            <translation>elemento</translation>
        </message>
        <message>
            <source>{valid} valid works, {invalid} invalid records, {problems} problems</source>
            <translation>{valid} cantieri validi, {invalid} record non validi, {problems} problemi</translation>
        </message>
        <message>
            <source>Situation Room needs the Python package {name} {wanted} or newer (found: {found}). Install it for QGIS's Python, e.g. python3 -m pip install --user '{name}&gt;={wanted}', and restart QGIS.</source>
            <translation>Situation Room richiede il pacchetto Python {name} {wanted} o più recente (trovato: {found}). Installalo per il Python di QGIS, ad esempio python3 -m pip install --user '{name}&gt;={wanted}', e riavvia QGIS.</translation>
        </message>
        <message>
            <source>Feed address (URL) or file</source>
            <translation>Indirizzo (URL) o file della fonte</translation>
        </message>
        <message>
            <source>Kind of feed</source>
            <translation>Tipo di fonte</translation>
        </message>
        <message>
            <source>GeoJSON URL</source>
            <translation>GeoJSON da URL</translation>
        </message>
        <message>
            <source>GeoJSON file</source>
            <translation>File GeoJSON</translation>
        </message>
        <message>
            <source>WFS</source>
            <translation>WFS</translation>
        </message>
        <message>
            <source>OGC API Features</source>
            <translation>OGC API Features</translation>
        </message>
        <message>
            <source>WZDx feed</source>
            <translation>Flusso WZDx</translation>
        </message>
        <message>
            <source>WFS layer or OGC API collection</source>
            <translation>Layer WFS o collezione OGC API</translation>
        </message>
        <message>
            <source>Organisation publishing the feed</source>
            <translation>Ente che pubblica la fonte</translation>
        </message>
        <message>
            <source>Authentication</source>
            <translation>Autenticazione</translation>
        </message>
        <message>
            <source>Field mapping (JSON)</source>
            <translation>Corrispondenza dei campi (JSON)</translation>
        </message>
        <message>
            <source>Reading {url}</source>
            <translation>Lettura di {url}</translation>
        </message>
        <message>
            <source>{features} features read: {valid} valid works, {invalid} invalid records, {problems} problems</source>
            <translation>{features} elementi letti: {valid} cantieri validi, {invalid} record non validi, {problems} problemi</translation>
        </message>
        <message>
            <source>QGIS project</source>
            <translation>Progetto QGIS</translation>
        </message>
        <message>
            <source>QGIS projects (*.qgs *.qgz)</source>
            <translation>Progetti QGIS (*.qgs *.qgz)</translation>
        </message>
        <message>
            <source>Only these sources (ids)</source>
            <translation>Solo queste fonti (id)</translation>
        </message>
        <message>
            <source>Cannot read the project {path}</source>
            <translation>Impossibile leggere il progetto {path}</translation>
        </message>
        <message>
            <source>No source with id {ids} in the project</source>
            <translation>Nessuna fonte con id {ids} nel progetto</translation>
        </message>
        <message>
            <source>The project has no store: create one in the Situation Room dock.</source>
            <translation>Il progetto non ha un archivio: crealo nel pannello Situation Room.</translation>
        </message>
        <message>
            <source>{id}: {features} features, {works} works, {problems} problems{note}</source>
            <translation>{id}: {features} elementi, {works} cantieri, {problems} problemi{note}</translation>
        </message>
        <message>
            <source> (unchanged)</source>
            <translation> (invariata)</translation>
        </message>
        <message>
            <source>{n} days</source>
            <translation>{n} giorni</translation>
        </message>
        <message>
            <source>{n} hours</source>
            <translation>{n} ore</translation>
        </message>
        <message>
            <source>{n} minutes</source>
            <translation>{n} minuti</translation>
        </message>
        <message>
            <source>{n} seconds</source>
            <translation>{n} secondi</translation>
        </message>
        <message>
            <source>Shared layers</source>
            <translation>Layer condivisi</translation>
        </message>
        <message>
            <source>Refreshing shared layers</source>
            <translation>Aggiornamento dei layer condivisi</translation>
        </message>
        <message>
            <source>Id</source>
            <translation>Id</translation>
        </message>
        <message>
            <source>Title</source>
            <translation>Titolo</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation>Tipo</translation>
        </message>
        <message>
            <source>Role</source>
            <translation>Ruolo</translation>
        </message>
        <message>
            <source>Offline copy</source>
            <translation>Copia offline</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>Aggiorna</translation>
        </message>
        <message>
            <source>Read the selected sources (all when none is selected) into the offline copy</source>
            <translation>Legge le fonti selezionate (tutte se nessuna è selezionata) nella copia offline</translation>
        </message>
        <message>
            <source>Add to map</source>
            <translation>Aggiungi alla mappa</translation>
        </message>
        <message>
            <source>Add the offline copy of the selected sources to the map</source>
            <translation>Aggiunge alla mappa la copia offline delle fonti selezionate</translation>
        </message>
        <message>
            <source>Import…</source>
            <translation>Importa…</translation>
        </message>
        <message>
            <source>Export…</source>
            <translation>Esporta…</translation>
        </message>
        <message>
            <source>none yet</source>
            <translation>ancora nessuna</translation>
        </message>
        <message>
            <source>{count} features, {age} old</source>
            <translation>{count} elementi, di {age} fa</translation>
        </message>
        <message>
            <source>This project has no store yet: create one in the Works tab to keep offline copies.</source>
            <translation>Il progetto non ha ancora un archivio: creane uno nella scheda Cantieri per conservare le copie offline.</translation>
        </message>
        <message>
            <source>No shared layers yet: import a sources file (JSON).</source>
            <translation>Ancora nessun layer condiviso: importa un file di fonti (JSON).</translation>
        </message>
        <message>
            <source>{count} shared layers</source>
            <translation>{count} layer condivisi</translation>
        </message>
        <message>
            <source>Refreshing…</source>
            <translation>Aggiornamento…</translation>
        </message>
        <message>
            <source>{count} sources refreshed, {problems} problems (see the log)</source>
            <translation>{count} fonti aggiornate, {problems} problemi (vedi il registro)</translation>
        </message>
        <message>
            <source>Import sources</source>
            <translation>Importa fonti</translation>
        </message>
        <message>
            <source>JSON (*.json)</source>
            <translation>JSON (*.json)</translation>
        </message>
        <message>
            <source>{count} sources imported, {problems} problems (see the log)</source>
            <translation>{count} fonti importate, {problems} problemi (vedi il registro)</translation>
        </message>
        <message>
            <source>Export sources</source>
            <translation>Esporta fonti</translation>
        </message>
    </context>
    <context>
        <name>Algorithms</name>
        <message>
            <source>Validate works</source>
            <translation>Valida i cantieri</translation>
        </message>
        <message>
            <source>Checks every feature of a works layer against the Situation Room works schema. OUTPUT holds the valid works in the schema, in EPSG:6707 (self-intersecting footprints repaired). REPORT lists every problem of every record: missing or unparsable dates, end before start, unknown organisations or values, empty, invalid or misplaced geometries (e.g. swapped latitude/longitude).</source>
            <translation>Controlla ogni elemento di un layer di cantieri rispetto allo schema dei cantieri di Situation Room. OUTPUT contiene i cantieri validi nello schema, in EPSG:6707 (le aree autointersecanti vengono riparate). REPORT elenca ogni problema di ogni record: date mancanti o illeggibili, fine prima dell'inizio, enti o valori sconosciuti, geometrie vuote, non valide o fuori posto (ad esempio latitudine e longitudine scambiate).</translation>
        </message>
        <message>
            <source>Import a feed of works</source>
            <translation>Importa una fonte di cantieri</translation>
        </message>
        <message>
            <source>Reads the works a utility or the Comune publishes: a GeoJSON file or URL, a WFS (1.0, 1.1, 2.0), an OGC API Features collection or a WZDx 4.x feed. KIND: 0 GeoJSON URL, 1 GeoJSON file, 2 WFS, 3 OGC API Features, 4 WZDx. LAYER names the WFS type or OGC API collection. MAPPING (JSON, optional) maps the feed's fields to the works schema: {"fields": {"Data inizio": "start_date"}, "values": {"work_type": {"Scavo": "excavation"}}, "date_formats": {"start_date": ["%d/%m/%Y"]}, "defaults": {...}, "buffer_m": 5}. Network access goes through QGIS's settings (proxy, SSL) and AUTHCFG. OUTPUT holds the valid works in EPSG:6707; REPORT every problem of the feed and of each feature.</source>
            <translation>Legge i cantieri pubblicati da un gestore o dal Comune: un file o URL GeoJSON, un WFS (1.0, 1.1, 2.0), una collezione OGC API Features o un flusso WZDx 4.x. KIND: 0 GeoJSON da URL, 1 file GeoJSON, 2 WFS, 3 OGC API Features, 4 WZDx. LAYER indica il tipo WFS o la collezione OGC API. MAPPING (JSON, facoltativo) fa corrispondere i campi della fonte allo schema dei cantieri: {"fields": {"Data inizio": "start_date"}, "values": {"work_type": {"Scavo": "excavation"}}, "date_formats": {"start_date": ["%d/%m/%Y"]}, "defaults": {...}, "buffer_m": 5}. L'accesso alla rete segue le impostazioni di QGIS (proxy, SSL) e AUTHCFG. OUTPUT contiene i cantieri validi in EPSG:6707; REPORT ogni problema della fonte e di ogni elemento.</translation>
        </message>
        <message>
            <source>Refresh shared layers</source>
            <translation>Aggiorna i layer condivisi</translation>
        </message>
        <message>
            <source>Reads every source registered in the project (or those listed in SOURCES, ids separated by commas) and replaces its offline copy in the project store, one source at a time and all or nothing: a source that cannot be read keeps its previous copy. PROJECT is a .qgs/.qgz file (empty: the current project). REPORT lists every problem per source and per feature.</source>
            <translation>Legge ogni fonte registrata nel progetto (o quelle elencate in SOURCES, id separati da virgole) e ne sostituisce la copia offline nell'archivio del progetto, una fonte alla volta e tutto o niente: una fonte non leggibile conserva la copia precedente. PROJECT è un file .qgs/.qgz (vuoto: il progetto corrente). REPORT elenca ogni problema per fonte e per elemento.</translation>
        </message>
    </context>
    <context>
        <name>Problems</name>
        <message>
            <source>Field '{field}' is mandatory and is empty.</source>
            <translation>Il campo '{field}' è obbligatorio ed è vuoto.</translation>
        </message>
        <message>
            <source>Field '{field}' has '{value}', which is not a date (expected YYYY-MM-DD).</source>
            <translation>Il campo '{field}' contiene '{value}', che non è una data (atteso AAAA-MM-GG).</translation>
        </message>
        <message>
            <source>Field '{field}' has '{value}', which is not a date and time (expected ISO 8601).</source>
            <translation>Il campo '{field}' contiene '{value}', che non è una data con ora (atteso ISO 8601).</translation>
        </message>
        <message>
            <source>End date {end_date} is before start date {start_date}.</source>
            <translation>La data di fine {end_date} è precedente alla data di inizio {start_date}.</translation>
        </message>
        <message>
            <source>Owner '{value}' is not in the organisation registry (known: {allowed}).</source>
            <translation>L'ente '{value}' non è nel registro degli enti (noti: {allowed}).</translation>
        </message>
        <message>
            <source>Field '{field}' has '{value}', which is not one of: {allowed}.</source>
            <translation>Il campo '{field}' contiene '{value}', che non è tra: {allowed}.</translation>
        </message>
        <message>
            <source>Field '{field}' has '{value}', which is not yes/no.</source>
            <translation>Il campo '{field}' contiene '{value}', che non è sì/no.</translation>
        </message>
        <message>
            <source>Field '{field}' has '{value}', which is not a whole number.</source>
            <translation>Il campo '{field}' contiene '{value}', che non è un numero intero.</translation>
        </message>
        <message>
            <source>Field 'uid' has '{value}', which is not a UUID.</source>
            <translation>Il campo 'uid' contiene '{value}', che non è un UUID.</translation>
        </message>
        <message>
            <source>The record had no uid: {value} was assigned.</source>
            <translation>Il record non aveva un uid: è stato assegnato {value}.</translation>
        </message>
        <message>
            <source>uid {value} is used by another record too ({other}).</source>
            <translation>L'uid {value} è usato anche da un altro record ({other}).</translation>
        </message>
        <message>
            <source>Field 'daily_hours' has '{value}', which is not a time range like 08:00-17:00.</source>
            <translation>Il campo 'daily_hours' contiene '{value}', che non è una fascia oraria come 08:00-17:00.</translation>
        </message>
        <message>
            <source>The record has no footprint geometry.</source>
            <translation>Il record non ha la geometria dell'area di cantiere.</translation>
        </message>
        <message>
            <source>The footprint geometry is empty.</source>
            <translation>La geometria dell'area di cantiere è vuota.</translation>
        </message>
        <message>
            <source>The footprint is a {value}; a work's footprint must be a polygon or multipolygon.</source>
            <translation>L'area di cantiere è un {value}; deve essere un poligono o un multipoligono.</translation>
        </message>
        <message>
            <source>The footprint was invalid ({value}) and was repaired with make_valid.</source>
            <translation>L'area di cantiere non era valida ({value}) ed è stata riparata con make_valid.</translation>
        </message>
        <message>
            <source>The footprint was invalid ({value}) and no polygon is left after repairing it.</source>
            <translation>L'area di cantiere non era valida ({value}) e dopo la riparazione non resta alcun poligono.</translation>
        </message>
        <message>
            <source>The footprint geometry cannot be read: {value}.</source>
            <translation>Impossibile leggere la geometria dell'area di cantiere: {value}.</translation>
        </message>
        <message>
            <source>The layer has no valid coordinate reference system.</source>
            <translation>Il layer non ha un sistema di riferimento valido.</translation>
        </message>
        <message>
            <source>The window {earliest_start} to {latest_end} cannot hold the work from {start_date} to {end_date}.</source>
            <translation>La finestra dal {earliest_start} al {latest_end} non può contenere il cantiere dal {start_date} al {end_date}.</translation>
        </message>
        <message>
            <source>The footprint lies at {value}, outside the area of use of {crs} (Italy): are latitude and longitude swapped, or is the layer's CRS wrong?</source>
            <translation>L'area di cantiere si trova in {value}, fuori dall'area d'uso di {crs} (Italia): latitudine e longitudine sono scambiate, o il SR del layer è sbagliato?</translation>
        </message>
        <message>
            <source>The document is not valid JSON: {value}.</source>
            <translation>Il documento non è JSON valido: {value}.</translation>
        </message>
        <message>
            <source>The document ends too early ({value}, after {size} characters): the download was cut off.</source>
            <translation>Il documento termina troppo presto ({value}, dopo {size} caratteri): lo scaricamento si è interrotto.</translation>
        </message>
        <message>
            <source>The document is not UTF-8 text: {value}.</source>
            <translation>Il documento non è testo UTF-8: {value}.</translation>
        </message>
        <message>
            <source>The document is empty.</source>
            <translation>Il documento è vuoto.</translation>
        </message>
        <message>
            <source>The document is a '{value}', not a GeoJSON FeatureCollection.</source>
            <translation>Il documento è un '{value}', non una FeatureCollection GeoJSON.</translation>
        </message>
        <message>
            <source>The document names a CRS that cannot be read ({value}); its coordinates are taken as {crs}.</source>
            <translation>Il documento indica un sistema di riferimento illeggibile ({value}); le coordinate sono lette in {crs}.</translation>
        </message>
        <message>
            <source>The item is a '{value}', not a GeoJSON Feature.</source>
            <translation>L'elemento è un '{value}', non una Feature GeoJSON.</translation>
        </message>
        <message>
            <source>The feature's properties are a {value}, not an object.</source>
            <translation>Le proprietà dell'elemento sono un {value}, non un oggetto.</translation>
        </message>
        <message>
            <source>The coordinates {value} are not longitude/latitude: GeoJSON is in WGS 84 (RFC 7946). If the feed uses another CRS, set it in the source's definition.</source>
            <translation>Le coordinate {value} non sono longitudine/latitudine: il GeoJSON è in WGS 84 (RFC 7946). Se la fonte usa un altro sistema di riferimento, indicalo nella definizione della fonte.</translation>
        </message>
        <message>
            <source>Field '{field}' has '{value}', which does not match the source's date format {formats}.</source>
            <translation>Il campo '{field}' contiene '{value}', che non rispetta il formato data della fonte {formats}.</translation>
        </message>
        <message>
            <source>The feed does not say its WZDx version (feed_info.version); versions read: {allowed}.</source>
            <translation>Il flusso non indica la sua versione WZDx (feed_info.version); versioni lette: {allowed}.</translation>
        </message>
        <message>
            <source>WZDx version {value} is not supported; versions read: {allowed}.</source>
            <translation>La versione WZDx {value} non è supportata; versioni lette: {allowed}.</translation>
        </message>
        <message>
            <source>Road event type '{value}' is not a work; the types read are: {allowed}.</source>
            <translation>Il tipo di evento stradale '{value}' non è un cantiere; i tipi letti sono: {allowed}.</translation>
        </message>
        <message>
            <source>A source must be a JSON object, not a {value}.</source>
            <translation>Una fonte deve essere un oggetto JSON, non un {value}.</translation>
        </message>
        <message>
            <source>The sources file must hold a list of sources, or an object with a 'sources' list, not a {value}.</source>
            <translation>Il file delle fonti deve contenere un elenco di fonti, o un oggetto con un elenco 'sources', non un {value}.</translation>
        </message>
        <message>
            <source>'{field}' is not a known key (known: {allowed}).</source>
            <translation>'{field}' non è una chiave nota (note: {allowed}).</translation>
        </message>
        <message>
            <source>Source id '{value}' must be lower-case letters, digits, '_' or '-' (at most 63).</source>
            <translation>L'id di fonte '{value}' deve avere solo lettere minuscole, cifre, '_' o '-' (al massimo 63).</translation>
        </message>
        <message>
            <source>Source id '{value}' is used by another source too.</source>
            <translation>L'id di fonte '{value}' è usato anche da un'altra fonte.</translation>
        </message>
        <message>
            <source>'{value}' is not an http(s) or file address.</source>
            <translation>'{value}' non è un indirizzo http(s) o di file.</translation>
        </message>
        <message>
            <source>The address of {value} carries a user name or password: keep credentials in QGIS's authentication database and give the source its authcfg id.</source>
            <translation>L'indirizzo di {value} contiene un nome utente o una password: conserva le credenziali nel database di autenticazione di QGIS e indica nella fonte il suo id authcfg.</translation>
        </message>
        <message>
            <source>'{field}' must be a JSON object, not a {value}.</source>
            <translation>'{field}' deve essere un oggetto JSON, non un {value}.</translation>
        </message>
        <message>
            <source>'{value}' is mapped to '{target}', which is not a works field here (fields: {allowed}).</source>
            <translation>'{value}' corrisponde a '{target}', che qui non è un campo dei cantieri (campi: {allowed}).</translation>
        </message>
        <message>
            <source>'{field}' has an entry that cannot be used: {value}.</source>
            <translation>'{field}' ha una voce inutilizzabile: {value}.</translation>
        </message>
        <message>
            <source>'{field}' has '{value}', which is not a distance in metres.</source>
            <translation>'{field}' contiene '{value}', che non è una distanza in metri.</translation>
        </message>
        <message>
            <source>The server answered HTTP {status} ({value}) for {url}.</source>
            <translation>Il server ha risposto HTTP {status} ({value}) per {url}.</translation>
        </message>
        <message>
            <source>The server refused the credentials for {url} (HTTP {status}): check the user name and password of authentication configuration '{authcfg}'.</source>
            <translation>Il server ha rifiutato le credenziali per {url} (HTTP {status}): controlla nome utente e password della configurazione di autenticazione '{authcfg}'.</translation>
        </message>
        <message>
            <source>The server asks for credentials for {url} (HTTP {status}): give the source an authcfg id.</source>
            <translation>Il server chiede le credenziali per {url} (HTTP {status}): indica nella fonte un id authcfg.</translation>
        </message>
        <message>
            <source>Authentication configuration '{authcfg}' is not in QGIS's authentication database.</source>
            <translation>La configurazione di autenticazione '{authcfg}' non è nel database di autenticazione di QGIS.</translation>
        </message>
        <message>
            <source>No complete answer from {url} within {seconds} s (tried {attempts} times).</source>
            <translation>Nessuna risposta completa da {url} entro {seconds} s (tentativi: {attempts}).</translation>
        </message>
        <message>
            <source>{url} cannot be reached: {value} (tried {attempts} times).</source>
            <translation>{url} non è raggiungibile: {value} (tentativi: {attempts}).</translation>
        </message>
        <message>
            <source>{url} sends more than {limit} MB: refused (raise the size limit if the source is right).</source>
            <translation>{url} invia più di {limit} MB: rifiutato (alza il limite di dimensione se la fonte è corretta).</translation>
        </message>
        <message>
            <source>The file {value} cannot be read: {reason}.</source>
            <translation>Impossibile leggere il file {value}: {reason}.</translation>
        </message>
        <message>
            <source>QGIS cannot open layer '{layer}' of {url}: {value}.</source>
            <translation>QGIS non riesce ad aprire il layer '{layer}' di {url}: {value}.</translation>
        </message>
        <message>
            <source>Reading layer '{layer}' of {url} failed: {value}.</source>
            <translation>La lettura del layer '{layer}' di {url} non è riuscita: {value}.</translation>
        </message>
        <message>
            <source>Sources of kind '{value}' are read by the analyses that use them, not loaded as layers.</source>
            <translation>Le fonti di tipo '{value}' sono lette dalle analisi che le usano, non caricate come layer.</translation>
        </message>
        <message>
            <source>The source cannot be read now; its copy of {snapshot} ({age} old) is used.</source>
            <translation>La fonte ora non è leggibile; si usa la sua copia del {snapshot} (di {age} fa).</translation>
        </message>
        <message>
            <source>The source cannot be read now and the project has no copy of it yet.</source>
            <translation>La fonte ora non è leggibile e il progetto non ne ha ancora una copia.</translation>
        </message>
    </context>
    <context>
        <name>i18n</name>
        <message>
            <source>Situation Room</source>
            <translation>Situation Room</translation>
        </message>
        <message>
            <source>Show or hide the Situation Room dock</source>
            <translation>Mostra o nascondi il pannello Situation Room</translation>
        </message>
        <message>
            <source>&amp;Situation Room</source>
            <translation>&amp;Situation Room</translation>
        </message>
    </context>
</TS>
