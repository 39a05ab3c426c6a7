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
            <source>Show or hide the Situation Room dock</source>
            <translation>Mostra o nascondi il pannello Situation Room</translation>
        </message>
        <message>
            <source>&amp;Situation Room</source>
            <translation>&amp;Situation Room</translation>
        </message>
        <message>
            <source>Clash</source>
            <translation>Interferenza</translation>
        </message>
        <message>
            <source>Opportunity</source>
            <translation>Coordinamento</translation>
        </message>
        <message>
            <source>Moratorium</source>
            <translation>Divieto di manomissione</translation>
        </message>
        <message>
            <source>Sensitive place</source>
            <translation>Luogo sensibile</translation>
        </message>
        <message>
            <source>Parking</source>
            <translation>Parcheggio</translation>
        </message>
        <message>
            <source>Open</source>
            <translation>Aperto</translation>
        </message>
        <message>
            <source>Acknowledged</source>
            <translation>Preso in carico</translation>
        </message>
        <message>
            <source>Resolved</source>
            <translation>Risolto</translation>
        </message>
        <message>
            <source>Accepted</source>
            <translation>Accettato</translation>
        </message>
        <message>
            <source>Distance</source>
            <translation>Distanza</translation>
        </message>
        <message>
            <source>No protected streets</source>
            <translation>Nessun tratto protetto</translation>
        </message>
        <message>
            <source>Protected streets</source>
            <translation>Tratti protetti</translation>
        </message>
        <message>
            <source>No sensitive places</source>
            <translation>Nessun luogo sensibile</translation>
        </message>
        <message>
            <source>Sensitive places</source>
            <translation>Luoghi sensibili</translation>
        </message>
        <message>
            <source>No parking</source>
            <translation>Nessun parcheggio</translation>
        </message>
        <message>
            <source>Detect conflicts</source>
            <translation>Trova i conflitti</translation>
        </message>
        <message>
            <source>Find the conflicts of the works in the project's store</source>
            <translation>Trova i conflitti tra i cantieri dell'archivio del progetto</translation>
        </message>
        <message>
            <source>Places from OSM…</source>
            <translation>Luoghi da OSM…</translation>
        </message>
        <message>
            <source>Load schools, hospitals, bus stops and parking from an .osm.pbf file</source>
            <translation>Carica scuole, ospedali, fermate dell'autobus e parcheggi da un file .osm.pbf</translation>
        </message>
        <message>
            <source>More options…</source>
            <translation>Altre opzioni…</translation>
        </message>
        <message>
            <source>Open Detect conflicts in Processing (any works layer, several layers)</source>
            <translation>Apri Trova i conflitti in Processing (qualsiasi layer di cantieri, più layer)</translation>
        </message>
        <message>
            <source>Open only</source>
            <translation>Solo aperti</translation>
        </message>
        <message>
            <source>Show conflicts no longer found</source>
            <translation>Mostra i conflitti non più presenti</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation>Tipo</translation>
        </message>
        <message>
            <source>Severity</source>
            <translation>Gravità</translation>
        </message>
        <message>
            <source>Work</source>
            <translation>Cantiere</translation>
        </message>
        <message>
            <source>With</source>
            <translation>Con</translation>
        </message>
        <message>
            <source>Dates</source>
            <translation>Date</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Stato</translation>
        </message>
        <message>
            <source>Note</source>
            <translation>Nota</translation>
        </message>
        <message>
            <source>Detect the conflicts of the project's works.</source>
            <translation>Trova i conflitti tra i cantieri del progetto.</translation>
        </message>
        <message>
            <source>This project has no store yet: create one in the Works tab.</source>
            <translation>Questo progetto non ha ancora un archivio: creane uno nella scheda Cantieri.</translation>
        </message>
        <message>
            <source>Detecting conflicts…</source>
            <translation>Ricerca dei conflitti in corso…</translation>
        </message>
        <message>
            <source>Situation Room: detect conflicts</source>
            <translation>Situation Room: ricerca dei conflitti</translation>
        </message>
        <message>
            <source>{works} works: {clash} clashes, {opportunity} opportunities, {moratorium} moratorium breaches, {sensitive} sensitive places, {parking} parking conflicts; {gone} no longer found.</source>
            <translation>{works} cantieri: {clash} interferenze, {opportunity} occasioni di coordinamento, {moratorium} violazioni del divieto di manomissione, {sensitive} luoghi sensibili, {parking} conflitti con parcheggi; {gone} non più presenti.</translation>
        </message>
        <message>
            <source>{days} days apart</source>
            <translation>a {days} giorni di distanza</translation>
        </message>
        <message>
            <source>no longer found since {date}</source>
            <translation>non più presente dal {date}</translation>
        </message>
        <message>
            <source>OpenStreetMap extract</source>
            <translation>Estratto OpenStreetMap</translation>
        </message>
        <message>
            <source>OpenStreetMap (*.osm.pbf *.pbf *.osm)</source>
            <translation>OpenStreetMap (*.osm.pbf *.pbf *.osm)</translation>
        </message>
        <message>
            <source>OSM sensitive places (points)</source>
            <translation>Luoghi sensibili OSM (punti)</translation>
        </message>
        <message>
            <source>OSM sensitive places (areas)</source>
            <translation>Luoghi sensibili OSM (aree)</translation>
        </message>
        <message>
            <source>OSM parking</source>
            <translation>Parcheggi OSM</translation>
        </message>
        <message>
            <source>Conflicts</source>
            <translation>Conflitti</translation>
        </message>
        <message>
            <source>Distance (metres)</source>
            <translation>Distanza (metri)</translation>
        </message>
        <message>
            <source>Opportunity window (days)</source>
            <translation>Finestra di coordinamento (giorni)</translation>
        </message>
        <message>
            <source>Protected street stretches (with protected_until)</source>
            <translation>Tratti stradali protetti (con protected_until)</translation>
        </message>
        <message>
            <source>Sensitive places (schools, hospitals, events, bus stops…)</source>
            <translation>Luoghi sensibili (scuole, ospedali, eventi, fermate dell'autobus…)</translation>
        </message>
        <message>
            <source>Parking areas, lanes or stalls</source>
            <translation>Parcheggi: aree, corsie o stalli</translation>
        </message>
        <message>
            <source>Parking capacity field (found by name when empty)</source>
            <translation>Campo della capienza dei parcheggi (cercato per nome se vuoto)</translation>
        </message>
        <message>
            <source>Roads (for road importance)</source>
            <translation>Strade (per l'importanza della strada)</translation>
        </message>
        <message>
            <source>Store keeping the decisions (the project's store when empty)</source>
            <translation>Archivio in cui conservare le decisioni (quello del progetto se vuoto)</translation>
        </message>
        <message>
            <source>Include cancelled and completed works</source>
            <translation>Includi i cantieri annullati e completati</translation>
        </message>
        <message>
            <source>Parking spaces lost per day</source>
            <translation>Posti auto persi per giorno</translation>
        </message>
        <message>
            <source>{works} works analysed ({left_out} cancelled or completed left out): {clash} clashes, {opportunity} opportunities, {moratorium} moratorium breaches, {sensitive} sensitive places, {parking} parking conflicts</source>
            <translation>{works} cantieri analizzati ({left_out} annullati o completati esclusi): {clash} interferenze, {opportunity} occasioni di coordinamento, {moratorium} violazioni del divieto di manomissione, {sensitive} luoghi sensibili, {parking} conflitti con parcheggi</translation>
        </message>
        <message>
            <source>No project store: every conflict is shown as open and no decision is kept. Create a store in the Situation Room dock, or give STORE.</source>
            <translation>Nessun archivio di progetto: ogni conflitto risulta aperto e nessuna decisione viene conservata. Crea un archivio nel pannello Situation Room, oppure indica STORE.</translation>
        </message>
        <message>
            <source>Decisions kept in {path}: {new} new conflicts, {gone} no longer found.</source>
            <translation>Decisioni conservate in {path}: {new} nuovi conflitti, {gone} non più presenti.</translation>
        </message>
        <message>
            <source>Sensitive places (points)</source>
            <translation>Luoghi sensibili (punti)</translation>
        </message>
        <message>
            <source>Sensitive places (areas)</source>
            <translation>Luoghi sensibili (aree)</translation>
        </message>
        <message>
            <source>Parking areas</source>
            <translation>Aree di parcheggio</translation>
        </message>
        <message>
            <source>{points} sensitive places as points, {areas} as areas, {parking} parking areas.</source>
            <translation>{points} luoghi sensibili come punti, {areas} come aree, {parking} aree di parcheggio.</translation>
        </message>
        <message>
            <source>uid of the work to schedule</source>
            <translation>uid del cantiere da programmare</translation>
        </message>
        <message>
            <source>Suggested start dates</source>
            <translation>Date di inizio suggerite</translation>
        </message>
        <message>
            <source>{count} start dates assessed; best: {start} ({clashes} clashes).</source>
            <translation>{count} date di inizio valutate; la migliore: {start} ({clashes} interferenze).</translation>
        </message>
        <message>
            <source>GTFS feed (*.zip)</source>
            <translation>Feed GTFS (*.zip)</translation>
        </message>
        <message>
            <source>Roads</source>
            <translation>Strade</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>Data</translation>
        </message>
        <message>
            <source>Bus network (GTFS zip)</source>
            <translation>Rete bus (GTFS zip)</translation>
        </message>
        <message>
            <source>Show the detours of the day</source>
            <translation>Mostra le deviazioni del giorno</translation>
        </message>
        <message>
            <source>Choose a road layer and a works layer.</source>
            <translation>Scegli un layer stradale e un layer dei cantieri.</translation>
        </message>
        <message>
            <source>The Situation Room Processing provider is not loaded.</source>
            <translation>Il provider Processing di Situation Room non è caricato.</translation>
        </message>
        <message>
            <source>Computing the detours of {day}…</source>
            <translation>Calcolo delle deviazioni del {day}…</translation>
        </message>
        <message>
            <source>The detour analysis failed: see the Processing log.</source>
            <translation>L'analisi delle deviazioni non è riuscita: vedi il log di Processing.</translation>
        </message>
        <message>
            <source>Detours {day}</source>
            <translation>Deviazioni {day}</translation>
        </message>
        <message>
            <source>Cut-off roads {day}</source>
            <translation>Strade isolate {day}</translation>
        </message>
        <message>
            <source>Bus lines to reroute {day}</source>
            <translation>Linee bus da deviare {day}</translation>
        </message>
        <message>
            <source>{day}: {detours} detours ({none} without a way round), {cutoff} roads cut off, {routes} bus routes to reroute</source>
            <translation>{day}: {detours} deviazioni ({none} senza percorso alternativo), {cutoff} strade isolate, {routes} linee bus da deviare</translation>
        </message>
        <message>
            <source>Detours</source>
            <translation>Deviazioni</translation>
        </message>
        <message>
            <source>Cut-off roads</source>
            <translation>Strade isolate</translation>
        </message>
        <message>
            <source>Bus lines to reroute</source>
            <translation>Linee bus da deviare</translation>
        </message>
        <message>
            <source>{day}: {closures} works close roads, {detours} detours ({none} without a way round), {cutoff} roads cut off, {routes} bus routes to reroute</source>
            <translation>{day}: {closures} cantieri chiudono strade, {detours} deviazioni ({none} senza percorso alternativo), {cutoff} strade isolate, {routes} linee bus da deviare</translation>
        </message>
        <message>
            <source>From</source>
            <translation>Dal</translation>
        </message>
        <message>
            <source>To</source>
            <translation>Al</translation>
        </message>
        <message>
            <source>Impact per day</source>
            <translation>Impatto per giorno</translation>
        </message>
        <message>
            <source>Interacting works</source>
            <translation>Cantieri che interferiscono</translation>
        </message>
        <message>
            <source>END_DATE {end} is before START_DATE {start}</source>
            <translation>END_DATE {end} è precedente a START_DATE {start}</translation>
        </message>
        <message>
            <source>{days} days analysed, {pairs} pairs of works interact</source>
            <translation>{days} giorni analizzati, {pairs} coppie di cantieri interferiscono</translation>
        </message>
        <message>
            <source>Criticality</source>
            <translation>Criticità</translation>
        </message>
        <message>
            <source>{edges} roads, {bridges} whose closure cuts the network</source>
            <translation>{edges} tratti stradali, {bridges} la cui chiusura interrompe la rete</translation>
        </message>
        <message>
            <source>Road network (lines, OSM tags or noded)</source>
            <translation>Rete stradale (linee, con tag OSM o già nodata)</translation>
        </message>
        <message>
            <source>{name}: '{value}' is not a date (expected YYYY-MM-DD)</source>
            <translation>{name}: '{value}' non è una data (formato atteso AAAA-MM-GG)</translation>
        </message>
        <message>
            <source>Road graph from the project's cache: {nodes} nodes, {edges} edges</source>
            <translation>Grafo stradale dalla cache del progetto: {nodes} nodi, {edges} archi</translation>
        </message>
        <message>
            <source>Road graph built: {nodes} nodes, {edges} edges</source>
            <translation>Grafo stradale costruito: {nodes} nodi, {edges} archi</translation>
        </message>
        <message>
            <source>{count} works were left out of the analysis because of the errors above</source>
            <translation>{count} cantieri sono stati esclusi dall'analisi per gli errori sopra indicati</translation>
        </message>
        <message>
            <source>The bus network runs from {start} to {end}: no bus trips on the dates analysed</source>
            <translation>La rete bus è in servizio dal {start} al {end}: nessuna corsa nelle date analizzate</translation>
        </message>
        <message>
            <source>Bus network: {routes} routes, {shapes} shapes matched onto the roads</source>
            <translation>Rete bus: {routes} linee, {shapes} percorsi agganciati alle strade</translation>
        </message>
        <message>
            <source>Roads (road importance and closure interactions)</source>
            <translation>Strade (importanza delle strade e interazioni tra chiusure)</translation>
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
            <source>Detour</source>
            <translation>Deviazione</translation>
        </message>
        <message>
            <source>Blocked, no way round</source>
            <translation>Bloccato, nessuna alternativa</translation>
        </message>
        <message>
            <source>{path}: cannot be read ({reason})</source>
            <translation>{path}: impossibile leggerlo ({reason})</translation>
        </message>
        <message>
            <source>Include the shared layers' works</source>
            <translation>Includi i cantieri dei layer condivisi</translation>
        </message>
        <message>
            <source>Also look for conflicts with the partners' works in the offline copies of the shared layers (refresh them in the Shared layers tab)</source>
            <translation>Cerca i conflitti anche con i cantieri dei partner nelle copie offline dei layer condivisi (aggiornale nella scheda Layer condivisi)</translation>
        </message>
        <message>
            <source>Refresh automatically</source>
            <translation>Aggiorna automaticamente</translation>
        </message>
        <message>
            <source>Refresh each source when its interval has passed since it was last read or tried (without network, the copies stay and the log says why)</source>
            <translation>Aggiorna ogni fonte quando è trascorso il suo intervallo dall'ultima lettura o dall'ultimo tentativo (senza rete restano le copie e il registro dice perché)</translation>
        </message>
        <message>
            <source>Only the sources whose refresh interval has passed</source>
            <translation>Solo le fonti il cui intervallo di aggiornamento è trascorso</translation>
        </message>
        <message>
            <source>{id}: not due yet</source>
            <translation>{id}: non ancora da aggiornare</translation>
        </message>
        <message>
            <source>Cancelled.</source>
            <translation>Annullato.</translation>
        </message>
        <message>
            <source>{task} failed: {error}</source>
            <translation>{task} non riuscito: {error}</translation>
        </message>
        <message>
            <source>{name}: cancelled.</source>
            <translation>{name}: annullato.</translation>
        </message>
        <message>
            <source>Every street's detour computed once for the project's cache</source>
            <translation>La deviazione di ogni strada è stata calcolata una volta per la cache del progetto</translation>
        </message>
        <message>
            <source>The project has no store: give PROJECT=path/to/project.qgs of a project that has one (create it in the Situation Room dock).</source>
            <translation>Il progetto non ha un archivio: indica PROJECT=percorso/del/progetto.qgs di un progetto che ne ha uno (crealo nel pannello Situation Room).</translation>
        </message>
        <message>
            <source>Situation Room needs Python {wanted} or newer, and this QGIS runs Python {found}. Use QGIS 3.22 or newer, whose Python is recent enough.</source>
            <translation>Situation Room richiede Python {wanted} o più recente, e questo QGIS usa Python {found}. Usa QGIS 3.22 o più recente, il cui Python è abbastanza recente.</translation>
        </message>
        <message>
            <source>The works to check, in any CRS, with the fields of the works schema (see Validate works); invalid records are reported and left out.</source>
            <translation>I cantieri da controllare, in qualsiasi SR, con i campi dello schema dei cantieri (vedi Valida i cantieri); i record non validi sono segnalati ed esclusi.</translation>
        </message>
        <message>
            <source>Footprints closer than this clash (on overlapping dates) or share a stretch of street; a work closer than this to a sensitive place concerns it.</source>
            <translation>Aree di cantiere più vicine di così interferiscono (in date sovrapposte) o condividono un tratto di strada; un cantiere più vicino di così a un luogo sensibile lo riguarda.</translation>
        </message>
        <message>
            <source>At most this many days between the end of one work and the start of the other for a dig-once opportunity.</source>
            <translation>Al massimo questi giorni tra la fine di un cantiere e l'inizio dell'altro perché ci sia un'occasione di coordinamento (scavare una volta sola).</translation>
        </message>
        <message>
            <source>Lines or polygons of the street stretches that may not be dug until the date of their protected_until field, e.g. those resurfaced last year.</source>
            <translation>Linee o poligoni dei tratti stradali che non si possono scavare fino alla data del loro campo protected_until, per esempio quelli riasfaltati l'anno scorso.</translation>
        </message>
        <message>
            <source>Point, line or polygon layers of places to spare, e.g. those of Sensitive places from OpenStreetMap; fields start_date and end_date limit a place, such as an event, to its days.</source>
            <translation>Layer di punti, linee o poligoni dei luoghi da tutelare, per esempio quelli di Luoghi sensibili e parcheggi da OpenStreetMap; i campi start_date ed end_date limitano un luogo, come un evento, ai suoi giorni.</translation>
        </message>
        <message>
            <source>Parking areas (polygons), kerbside lanes (lines) or stalls (points): the spaces a footprint takes are counted from the capacity, else one space per 12.5 m² or 5.5 m of kerb.</source>
            <translation>Aree di parcheggio (poligoni), corsie di sosta lungo il marciapiede (linee) o stalli (punti): i posti occupati da un'area di cantiere si contano dalla capienza, altrimenti un posto ogni 12,5 m² o 5,5 m di marciapiede.</translation>
        </message>
        <message>
            <source>The field of PARKING with the number of spaces of each feature; when empty, a field named capacity, posti, spaces, stalli or capienza is used if there is one.</source>
            <translation>Il campo di PARKING con il numero di posti di ogni elemento; se vuoto, si usa un campo chiamato capacity, posti, spaces, stalli o capienza, se c'è.</translation>
        </message>
        <message>
            <source>Road lines with an OSM highway class: conflicts on more important roads are more severe.</source>
            <translation>Linee stradali con una classe OSM highway: i conflitti sulle strade più importanti sono più gravi.</translation>
        </message>
        <message>
            <source>The GeoPackage keeping the room's decisions on each conflict (created if missing); when empty, the store of the current project.</source>
            <translation>Il GeoPackage che conserva le decisioni della sala su ogni conflitto (creato se manca); se vuoto, l'archivio del progetto corrente.</translation>
        </message>
        <message>
            <source>Also check the works whose status is cancelled or completed.</source>
            <translation>Controlla anche i cantieri con stato annullato o completato.</translation>
        </message>
        <message>
            <source>One feature per conflict: its kind, the two works (or the work and the place), severity, dates, gap, distance and the room's decision (status, note).</source>
            <translation>Un elemento per conflitto: il tipo, i due cantieri (o il cantiere e il luogo), la gravità, le date, l'intervallo, la distanza e la decisione della sala (stato, nota).</translation>
        </message>
        <message>
            <source>A table of the parking spaces lost on each day and the works taking them (with PARKING).</source>
            <translation>Una tabella dei posti auto persi in ogni giorno e dei cantieri che li occupano (con PARKING).</translation>
        </message>
        <message>
            <source>The day analysed, as YYYY-MM-DD in qgis_process: the works on the street that day close or slow down the roads.</source>
            <translation>Il giorno analizzato, come AAAA-MM-GG in qgis_process: i cantieri presenti in strada quel giorno chiudono o rallentano le strade.</translation>
        </message>
        <message>
            <source>One line per stretch a work blocks: its way round (status ok) or the blocked route (status no_detour), with work_uid, base_m, detour_m, extra_m, extra_s and ratio.</source>
            <translation>Una linea per ogni tratto bloccato da un cantiere: la sua deviazione (status ok) o il percorso bloccato (status no_detour), con work_uid, base_m, detour_m, extra_m, extra_s e ratio.</translation>
        </message>
        <message>
            <source>The roads cut off from the main network that day, with the works responsible (work_uids).</source>
            <translation>Le strade isolate dalla rete principale quel giorno, con i cantieri responsabili (work_uids).</translation>
        </message>
        <message>
            <source>With GTFS: the bus routes along a closed road that day, the trips and stops affected and the extra metres of the reroute, drawn as lines.</source>
            <translation>Con GTFS: le linee bus che percorrono una strada chiusa quel giorno, le corse e le fermate coinvolte e i metri in più della deviazione, disegnate come linee.</translation>
        </message>
        <message>
            <source>The first day of the timeline, as YYYY-MM-DD in qgis_process.</source>
            <translation>Il primo giorno della cronologia, come AAAA-MM-GG in qgis_process.</translation>
        </message>
        <message>
            <source>The last day of the timeline (inclusive), as YYYY-MM-DD in qgis_process; at most ten years after the first.</source>
            <translation>L'ultimo giorno della cronologia (incluso), come AAAA-MM-GG in qgis_process; al massimo dieci anni dopo il primo.</translation>
        </message>
        <message>
            <source>A table with one row per day: date, closures, extra_m_total, cutoff_edges and bus_trips_affected.</source>
            <translation>Una tabella con una riga per giorno: date, closures, extra_m_total, cutoff_edges e bus_trips_affected.</translation>
        </message>
        <message>
            <source>A table of the pairs of works whose closures together make their detours longer: uid_a, uid_b, date_from, date_to, extra_m_together and extra_m_apart.</source>
            <translation>Una tabella delle coppie di cantieri le cui chiusure, insieme, allungano le deviazioni: uid_a, uid_b, date_from, date_to, extra_m_together ed extra_m_apart.</translation>
        </message>
        <message>
            <source>The address of the feed (for WFS and OGC API Features, the service's) or the path of a GeoJSON or WZDx file.</source>
            <translation>L'indirizzo della fonte (per WFS e OGC API Features, quello del servizio) o il percorso di un file GeoJSON o WZDx.</translation>
        </message>
        <message>
            <source>What SOURCE is: 0 GeoJSON URL, 1 GeoJSON file, 2 WFS, 3 OGC API Features, 4 WZDx feed (URL or file).</source>
            <translation>Che cosa è SOURCE: 0 GeoJSON da URL, 1 file GeoJSON, 2 WFS, 3 OGC API Features, 4 flusso WZDx (URL o file).</translation>
        </message>
        <message>
            <source>The WFS feature type or the OGC API collection to read; not used for GeoJSON and WZDx.</source>
            <translation>Il tipo di elemento WFS o la collezione OGC API da leggere; non usato per GeoJSON e WZDx.</translation>
        </message>
        <message>
            <source>The id of the organisation whose works these are when a feature does not say, e.g. publiacqua.</source>
            <translation>L'id dell'ente a cui appartengono i cantieri quando un elemento non lo dice, per esempio publiacqua.</translation>
        </message>
        <message>
            <source>A QGIS authentication configuration, for feeds that need a login or a key.</source>
            <translation>Una configurazione di autenticazione di QGIS, per le fonti che richiedono credenziali o una chiave.</translation>
        </message>
        <message>
            <source>JSON mapping the feed's field names, values and date formats to the works schema (see the algorithm's help); empty: the feed uses the schema's names.</source>
            <translation>JSON che fa corrispondere nomi dei campi, valori e formati delle date della fonte allo schema dei cantieri (vedi l'aiuto dell'algoritmo); vuoto: la fonte usa i nomi dello schema.</translation>
        </message>
        <message>
            <source>The valid works of the feed, in the schema and in EPSG:6707.</source>
            <translation>I cantieri validi della fonte, nello schema e in EPSG:6707.</translation>
        </message>
        <message>
            <source>Every drivable road piece with detour_extra_m (the extra metres of its way round) and no_alternative (1 when its closure cuts the network).</source>
            <translation>Ogni tratto di strada percorribile con detour_extra_m (i metri in più della sua deviazione) e no_alternative (1 quando la sua chiusura interrompe la rete).</translation>
        </message>
        <message>
            <source>The drivable road lines, in any CRS, with OSM tags (highway, oneway, junction, maxspeed), joined where they share vertices: an OpenStreetMap extract of the roads or the city's own network.</source>
            <translation>Le linee stradali percorribili, in qualsiasi SR, con i tag OSM (highway, oneway, junction, maxspeed), collegate dove condividono vertici: un estratto OpenStreetMap delle strade o il grafo stradale del Comune.</translation>
        </message>
        <message>
            <source>The works, in any CRS, with the fields of the works schema (see Validate works): those whose traffic_impact is all-lanes-closed close the roads their footprints cover.</source>
            <translation>I cantieri, in qualsiasi SR, con i campi dello schema dei cantieri (vedi Valida i cantieri): quelli con traffic_impact all-lanes-closed chiudono le strade coperte dalla loro area di cantiere.</translation>
        </message>
        <message>
            <source>The bus timetable as a GTFS zip (e.g. CAP's): the bus routes and trips running along closed roads are found.</source>
            <translation>L'orario dei bus come GTFS zip (per esempio quello di CAP): si trovano le linee e le corse che percorrono strade chiuse.</translation>
        </message>
        <message>
            <source>An OpenStreetMap extract (.osm.pbf or .osm) covering the area of the works.</source>
            <translation>Un estratto OpenStreetMap (.osm.pbf o .osm) che copre la zona dei cantieri.</translation>
        </message>
        <message>
            <source>The sensitive places mapped as points, bus stops included, with osm_id, name and kind.</source>
            <translation>I luoghi sensibili mappati come punti, fermate dell'autobus comprese, con osm_id, name e kind.</translation>
        </message>
        <message>
            <source>The sensitive places mapped as areas (school grounds, hospital sites), with osm_id, name and kind.</source>
            <translation>I luoghi sensibili mappati come aree (cortili scolastici, complessi ospedalieri), con osm_id, name e kind.</translation>
        </message>
        <message>
            <source>The parking areas, with their capacity when it is mapped.</source>
            <translation>Le aree di parcheggio, con la loro capienza quando è mappata.</translation>
        </message>
        <message>
            <source>The .qgs or .qgz project whose sources are read into its store; empty: the project open in QGIS (qgis_process has none: give PROJECT=path/to/project.qgs).</source>
            <translation>Il progetto .qgs o .qgz le cui fonti vengono lette nel suo archivio; vuoto: il progetto aperto in QGIS (qgis_process non ne ha: indicare PROJECT=percorso/del/progetto.qgs).</translation>
        </message>
        <message>
            <source>The ids of the sources to read, separated by commas; empty: every source of the project.</source>
            <translation>Gli id delle fonti da leggere, separati da virgole; vuoto: tutte le fonti del progetto.</translation>
        </message>
        <message>
            <source>Read only the sources whose refresh interval (refresh_minutes) has passed since their copy was last checked, as a scheduled run does.</source>
            <translation>Legge solo le fonti il cui intervallo di aggiornamento (refresh_minutes) è trascorso dall'ultima verifica della copia, come fa un'esecuzione pianificata.</translation>
        </message>
        <message>
            <source>No project to refresh: give PROJECT=path/to/project.qgs, a project with a Situation Room store.</source>
            <translation>Nessun progetto da aggiornare: indicare PROJECT=percorso/del/progetto.qgs, un progetto con un archivio Situation Room.</translation>
        </message>
        <message>
            <source>A table of every problem found, one row each: the record, the field, the severity (error or warning), a code and the message.</source>
            <translation>Una tabella di ogni problema trovato, una riga ciascuno: il record, il campo, la gravità (errore o avviso), un codice e il messaggio.</translation>
        </message>
        <message>
            <source>The works, in any CRS, with the fields of the works schema: the work to schedule and those it may clash with.</source>
            <translation>I cantieri, in qualsiasi SR, con i campi dello schema dei cantieri: quello da pianificare e quelli con cui può interferire.</translation>
        </message>
        <message>
            <source>The uid of the work whose start dates are assessed; its earliest_start and latest_end fields give the window.</source>
            <translation>L'uid del cantiere di cui si valutano le date di inizio; i suoi campi earliest_start e latest_end danno la finestra.</translation>
        </message>
        <message>
            <source>Road lines with OSM tags: clashes on more important roads weigh more, and so do the days a closure would make another closure's detours longer.</source>
            <translation>Linee stradali con tag OSM: le interferenze sulle strade più importanti pesano di più, e così i giorni in cui una chiusura allungherebbe le deviazioni di un'altra.</translation>
        </message>
        <message>
            <source>Footprints closer than this clash on overlapping dates.</source>
            <translation>Aree di cantiere più vicine di così interferiscono in date sovrapposte.</translation>
        </message>
        <message>
            <source>A table of the possible start dates, best first: start_date, end_date, clashes, score and the reason.</source>
            <translation>Una tabella delle possibili date di inizio, dalla migliore: start_date, end_date, clashes, score e la motivazione.</translation>
        </message>
        <message>
            <source>Any layer of works, in any CRS, with the fields of the schema: uid, title, owner, work_type, status, start_date, end_date, traffic_impact and the optional ones.</source>
            <translation>Qualsiasi layer di cantieri, in qualsiasi SR, con i campi dello schema: uid, title, owner, work_type, status, start_date, end_date, traffic_impact e quelli facoltativi.</translation>
        </message>
        <message>
            <source>The valid works, in the schema and in EPSG:6707.</source>
            <translation>I cantieri validi, nello schema e in EPSG:6707.</translation>
        </message>
        <message>
            <source>marker at city scale</source>
            <translation>simbolo a scala città</translation>
        </message>
        <message>
            <source>Other organisations</source>
            <translation>Altri enti</translation>
        </message>
        <message>
            <source>Road closed (hatched)</source>
            <translation>Strada chiusa (tratteggio)</translation>
        </message>
        <message>
            <source>Outline: status</source>
            <translation>Bordo: stato</translation>
        </message>
        <message>
            <source>(copy)</source>
            <translation>(copia)</translation>
        </message>
        <message>
            <source>Other roads</source>
            <translation>Altre strade</translation>
        </message>
        <message>
            <source>Service roads and paths</source>
            <translation>Strade di servizio e percorsi</translation>
        </message>
        <message>
            <source>Local streets</source>
            <translation>Strade locali</translation>
        </message>
        <message>
            <source>Secondary roads</source>
            <translation>Strade secondarie</translation>
        </message>
        <message>
            <source>Main roads</source>
            <translation>Strade principali</translation>
        </message>
        <message>
            <source>Bus stop</source>
            <translation>Fermata bus</translation>
        </message>
        <message>
            <source>Permit alert: days ahead</source>
            <translation>Avviso autorizzazione: giorni di anticipo</translation>
        </message>
        <message>
            <source>Works starting within this many days without a permit reference are alerts</source>
            <translation>I cantieri che iniziano entro questi giorni senza riferimento di autorizzazione sono avvisi</translation>
        </message>
        <message>
            <source>Check now</source>
            <translation>Controlla ora</translation>
        </message>
        <message>
            <source>Look for alerts in the project's store and shared layers now</source>
            <translation>Cerca ora gli avvisi nell'archivio del progetto e nei layer condivisi</translation>
        </message>
        <message>
            <source>No alerts.</source>
            <translation>Nessun avviso.</translation>
        </message>
        <message>
            <source>Owner</source>
            <translation>Ente</translation>
        </message>
        <message>
            <source>Message</source>
            <translation>Messaggio</translation>
        </message>
        <message>
            <source>Needs action</source>
            <translation>Richiede un intervento</translation>
        </message>
        <message>
            <source>Alerts ({count}): {kinds}</source>
            <translation>Avvisi ({count}): {kinds}</translation>
        </message>
        <message>
            <source>New alerts ({count}): {kinds}</source>
            <translation>Nuovi avvisi ({count}): {kinds}</translation>
        </message>
        <message>
            <source>Show</source>
            <translation>Mostra</translation>
        </message>
        <message>
            <source>Situation Room: alerts</source>
            <translation>Situation Room: avvisi</translation>
        </message>
        <message>
            <source>Alerts</source>
            <translation>Avvisi</translation>
        </message>
        <message>
            <source>Past its end date</source>
            <translation>Oltre la data di fine</translation>
        </message>
        <message>
            <source>No permit</source>
            <translation>Senza autorizzazione</translation>
        </message>
        <message>
            <source>New conflict</source>
            <translation>Nuovo conflitto</translation>
        </message>
        <message>
            <source>Worse conflict</source>
            <translation>Conflitto aggravato</translation>
        </message>
        <message>
            <source>Old offline copy</source>
            <translation>Copia offline vecchia</translation>
        </message>
        <message>
            <source>Idle timeout (seconds)</source>
            <translation>Attesa massima senza dati (secondi)</translation>
        </message>
        <message>
            <source>A try is given up when the server sends nothing for this long (and tried again, up to 3 times).</source>
            <translation>Un tentativo viene abbandonato quando il server non invia nulla per questo tempo (e si riprova, fino a 3 volte).</translation>
        </message>
        <message>
            <source>Overall time limit (seconds)</source>
            <translation>Limite di tempo complessivo (secondi)</translation>
        </message>
        <message>
            <source>The longest a download may take, its retries included: a feed still arriving then is refused.</source>
            <translation>La durata massima di uno scaricamento, tentativi compresi: una fonte che a quel punto sta ancora arrivando viene rifiutata.</translation>
        </message>
        <message>
            <source>Size limit (MB)</source>
            <translation>Limite di dimensione (MB)</translation>
        </message>
        <message>
            <source>The largest answer (or file) read, in megabytes: a larger one is refused.</source>
            <translation>La risposta (o il file) più grande che viene letta, in megabyte: una più grande viene rifiutata.</translation>
        </message>
        <message>
            <source>a line needs two points</source>
            <translation>una linea richiede due punti</translation>
        </message>
        <message>
            <source>a polygon needs three points around an area</source>
            <translation>un poligono richiede tre punti attorno a un'area</translation>
        </message>
        <message>
            <source>Keep drawing: {what}.</source>
            <translation>Continua a disegnare: {what}.</translation>
        </message>
        <message>
            <source>Draw a work (footprint)</source>
            <translation>Disegna un cantiere (ingombro)</translation>
        </message>
        <message>
            <source>Draw a work along a street</source>
            <translation>Disegna un cantiere lungo una strada</translation>
        </message>
        <message>
            <source>Click the corners of the work's footprint; right click to finish</source>
            <translation>Fai clic sui vertici dell'ingombro del cantiere; clic destro per terminare</translation>
        </message>
        <message>
            <source>Click along the street (snaps to roads and works); right click to finish: the footprint is the line widened to the width set in the Works tab</source>
            <translation>Fai clic lungo la strada (aggancio a strade e cantieri); clic destro per terminare: l'ingombro è la linea allargata alla larghezza impostata nella scheda Cantieri</translation>
        </message>
        <message>
            <source>Create or open the project's store first (Works tab): works are drawn into it.</source>
            <translation>Crea o apri prima l'archivio del progetto (scheda Cantieri): i cantieri disegnati vi vengono salvati.</translation>
        </message>
        <message>
            <source>The works layer cannot be edited: {layer}</source>
            <translation>Il layer dei cantieri non è modificabile: {layer}</translation>
        </message>
        <message>
            <source>New work</source>
            <translation>Nuovo cantiere</translation>
        </message>
        <message>
            <source>The work was not saved in the store: {errors}. It is still in the layer's edit buffer: fix it and save the layer.</source>
            <translation>Il cantiere non è stato salvato nell'archivio: {errors}. È ancora tra le modifiche del layer: correggilo e salva il layer.</translation>
        </message>
        <message>
            <source>{record}: {problem}</source>
            <translation>{record}: {problem}</translation>
        </message>
        <message>
            <source>(and {count} more problems: see the log)</source>
            <translation>(e altri {count} problemi: vedi il registro)</translation>
        </message>
        <message>
            <source>Saved, but to fix</source>
            <translation>Salvato, ma da correggere</translation>
        </message>
        <message>
            <source>Give the work a title: it is how others will find it.</source>
            <translation>Dai un titolo al cantiere: è così che gli altri lo troveranno.</translation>
        </message>
        <message>
            <source>The end date is before the start date.</source>
            <translation>La data di fine è precedente alla data di inizio.</translation>
        </message>
        <message>
            <source>The window from the earliest start to the latest end is shorter than the work.</source>
            <translation>La finestra dall'inizio più anticipato alla fine più tarda è più breve del cantiere.</translation>
        </message>
        <message>
            <source>The earliest possible start is after the planned start.</source>
            <translation>L'inizio più anticipato possibile è successivo all'inizio previsto.</translation>
        </message>
        <message>
            <source>Write the hours as 08:00-12:00, or 08:00-12:00, 14:00-18:00.</source>
            <translation>Scrivi l'orario come 08:00-12:00, oppure 08:00-12:00, 14:00-18:00.</translation>
        </message>
        <message>
            <source>Excavation</source>
            <translation>Scavo</translation>
        </message>
        <message>
            <source>Network maintenance</source>
            <translation>Manutenzione della rete</translation>
        </message>
        <message>
            <source>New connection</source>
            <translation>Nuovo allaccio</translation>
        </message>
        <message>
            <source>Resurfacing</source>
            <translation>Riasfaltatura</translation>
        </message>
        <message>
            <source>Road construction</source>
            <translation>Costruzione stradale</translation>
        </message>
        <message>
            <source>Event</source>
            <translation>Evento</translation>
        </message>
        <message>
            <source>Other</source>
            <translation>Altro</translation>
        </message>
        <message>
            <source>Road closed</source>
            <translation>Strada chiusa</translation>
        </message>
        <message>
            <source>Some lanes closed</source>
            <translation>Corsie parzialmente chiuse</translation>
        </message>
        <message>
            <source>Alternating one-way</source>
            <translation>Senso unico alternato</translation>
        </message>
        <message>
            <source>All lanes open</source>
            <translation>Tutte le corsie aperte</translation>
        </message>
        <message>
            <source>Unknown</source>
            <translation>Non noto</translation>
        </message>
        <message>
            <source>Both directions</source>
            <translation>Entrambi i sensi</translation>
        </message>
        <message>
            <source>Along the road's drawing direction</source>
            <translation>Nel verso di digitalizzazione della strada</translation>
        </message>
        <message>
            <source>Against the road's drawing direction</source>
            <translation>Contro il verso di digitalizzazione della strada</translation>
        </message>
        <message>
            <source>Identifier (uid)</source>
            <translation>Identificativo (uid)</translation>
        </message>
        <message>
            <source>Description</source>
            <translation>Descrizione</translation>
        </message>
        <message>
            <source>Organisation</source>
            <translation>Ente</translation>
        </message>
        <message>
            <source>Type of work</source>
            <translation>Tipo di lavoro</translation>
        </message>
        <message>
            <source>Start date</source>
            <translation>Data di inizio</translation>
        </message>
        <message>
            <source>End date</source>
            <translation>Data di fine</translation>
        </message>
        <message>
            <source>Working hours (e.g. 08:00-17:00)</source>
            <translation>Orario di lavoro (es. 08:00-17:00)</translation>
        </message>
        <message>
            <source>Night work</source>
            <translation>Lavoro notturno</translation>
        </message>
        <message>
            <source>Traffic impact</source>
            <translation>Impatto sul traffico</translation>
        </message>
        <message>
            <source>Closed direction</source>
            <translation>Senso chiuso</translation>
        </message>
        <message>
            <source>Opens the ground</source>
            <translation>Con scavo</translation>
        </message>
        <message>
            <source>Permit reference</source>
            <translation>Estremi dell'autorizzazione</translation>
        </message>
        <message>
            <source>Contact</source>
            <translation>Referente</translation>
        </message>
        <message>
            <source>Earliest possible start</source>
            <translation>Inizio più anticipato possibile</translation>
        </message>
        <message>
            <source>Latest possible end</source>
            <translation>Fine più tarda possibile</translation>
        </message>
        <message>
            <source>Created</source>
            <translation>Creato</translation>
        </message>
        <message>
            <source>Last changed</source>
            <translation>Ultima modifica</translation>
        </message>
        <message>
            <source>Revision</source>
            <translation>Revisione</translation>
        </message>
        <message>
            <source>Changed by</source>
            <translation>Modificato da</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>Fonte</translation>
        </message>
        <message>
            <source>My organisation</source>
            <translation>Il mio ente</translation>
        </message>
        <message>
            <source>The owner of the works you draw</source>
            <translation>L'ente titolare dei cantieri che disegni</translation>
        </message>
        <message>
            <source>Draw a work</source>
            <translation>Disegna un cantiere</translation>
        </message>
        <message>
            <source>Width of a work along a street</source>
            <translation>Larghezza del cantiere lungo la strada</translation>
        </message>
        <message>
            <source>From the street's lanes (3.5 m a lane)</source>
            <translation>Dalle corsie della strada (3,5 m per corsia)</translation>
        </message>
        <message>
            <source>Roads to snap to</source>
            <translation>Strade a cui agganciarsi</translation>
        </message>
        <message>
            <source>Add the valid works to the store…</source>
            <translation>Aggiungi all'archivio i cantieri validi…</translation>
        </message>
        <message>
            <source>The valid works of the selected layer (a validation result, a partner's shared layer, any works layer) added to the store, or updated by uid</source>
            <translation>I cantieri validi del layer selezionato (un risultato della validazione, un layer condiviso di un partner, qualsiasi layer di cantieri) aggiunti all'archivio o aggiornati per uid</translation>
        </message>
        <message>
            <source>(not set)</source>
            <translation>(non impostato)</translation>
        </message>
        <message>
            <source>Any layer of works, in any CRS, with the fields of the works schema.</source>
            <translation>Qualsiasi layer di cantieri, in qualsiasi SR, con i campi dello schema dei cantieri.</translation>
        </message>
        <message>
            <source>Store (the project's store when empty)</source>
            <translation>Archivio (quello del progetto se vuoto)</translation>
        </message>
        <message>
            <source>The GeoPackage to add the works to (created if missing); when empty, the store of the current project.</source>
            <translation>Il GeoPackage a cui aggiungere i cantieri (creato se manca); se vuoto, l'archivio del progetto corrente.</translation>
        </message>
        <message>
            <source>The project has no store to add the works to: create one in the Situation Room dock (Works tab), or give STORE.</source>
            <translation>Il progetto non ha un archivio a cui aggiungere i cantieri: creane uno nel pannello Situation Room (scheda Cantieri), oppure indica STORE.</translation>
        </message>
        <message>
            <source>{added} works added to {store}, {updated} updated, {unchanged} already there unchanged, {refused} refused (see the problems above)</source>
            <translation>{added} cantieri aggiunti a {store}, {updated} aggiornati, {unchanged} già presenti senza modifiche, {refused} rifiutati (vedi i problemi sopra)</translation>
        </message>
        <message>
            <source>Reading the places of {file}…</source>
            <translation>Lettura dei luoghi di {file}…</translation>
        </message>
        <message>
            <source>Situation Room: places from OpenStreetMap</source>
            <translation>Situation Room: luoghi da OpenStreetMap</translation>
        </message>
        <message>
            <source>{points} sensitive places, {areas} sensitive areas and {parking} parking areas read from OpenStreetMap.</source>
            <translation>Letti da OpenStreetMap {points} luoghi sensibili, {areas} aree sensibili e {parking} parcheggi.</translation>
        </message>
        <message>
            <source>Waze CIFS feed</source>
            <translation>Flusso Waze CIFS</translation>
        </message>
        <message>
            <source>Waze CIFS XML (*.xml);;Waze CIFS JSON (*.json)</source>
            <translation>Waze CIFS XML (*.xml);;Waze CIFS JSON (*.json)</translation>
        </message>
        <message>
            <source>The file of the feed: .xml for the CIFS XML, .json for its JSON form.</source>
            <translation>Il file del flusso: .xml per il CIFS in XML, .json per la sua forma JSON.</translation>
        </message>
        <message>
            <source>No work affects traffic: the CIFS XML has no incident, which Waze reads as no closure but its XSD does not accept</source>
            <translation>Nessun cantiere incide sul traffico: il CIFS in XML non contiene eventi; Waze lo legge come assenza di chiusure, ma il suo schema XSD non lo accetta</translation>
        </message>
        <message>
            <source>OUTPUT: {path} must end in .xml (CIFS XML) or .json (CIFS JSON)</source>
            <translation>OUTPUT: {path} deve terminare con .xml (CIFS in XML) o .json (CIFS in JSON)</translation>
        </message>
        <message>
            <source>The works, in any CRS, with the fields of the works schema (see Validate works); invalid records are reported and left out. Only the works that affect traffic are exported: those whose traffic_impact is not all-lanes-open and whose status is neither completed nor cancelled.</source>
            <translation>I cantieri, in qualsiasi SR, con i campi dello schema dei cantieri (vedi Valida i cantieri); i record non validi vengono segnalati ed esclusi. Si esportano solo i cantieri che incidono sul traffico: quelli con traffic_impact diverso da all-lanes-open e con stato né completato né annullato.</translation>
        </message>
        <message>
            <source>Road network (optional, to draw the closed roads)</source>
            <translation>Rete stradale (facoltativa, per disegnare le strade chiuse)</translation>
        </message>
        <message>
            <source>The road lines, in any CRS, with OSM tags (name, highway, oneway, lanes): each work is drawn along the roads its footprint closes, as the detour analysis closes them, with their names and lanes. Without it, a work is drawn along its footprint's centreline and its road is unnamed.</source>
            <translation>Le linee stradali, in qualsiasi SR, con i tag OSM (name, highway, oneway, lanes): ogni cantiere viene disegnato lungo le strade che la sua area di cantiere chiude, come le chiude l'analisi delle deviazioni, con i loro nomi e le loro corsie. Senza la rete, un cantiere viene disegnato lungo la linea mediana della sua area di cantiere e la sua strada resta senza nome.</translation>
        </message>
        <message>
            <source>unnamed road</source>
            <translation>strada senza nome</translation>
        </message>
        <message>
            <source>«{title}» ({uid}) covers no road of ROADS: it is drawn along its footprint</source>
            <translation>«{title}» ({uid}) non copre alcuna strada di ROADS: viene disegnato lungo la sua area di cantiere</translation>
        </message>
        <message>
            <source>{exported} of {works} works exported; {skipped} left out: {open} leave every lane open, {inactive} are completed or cancelled, {no_footprint} have no footprint</source>
            <translation>{exported} cantieri esportati su {works}; {skipped} esclusi: {open} lasciano aperte tutte le corsie, {inactive} sono completati o annullati, {no_footprint} non hanno un'area di cantiere</translation>
        </message>
        <message>
            <source>OUTPUT: a file to write is needed</source>
            <translation>OUTPUT: serve un file in cui scrivere</translation>
        </message>
        <message>
            <source>{path} cannot be written: {reason}</source>
            <translation>Impossibile scrivere {path}: {reason}</translation>
        </message>
        <message>
            <source>Written {path}</source>
            <translation>Scritto {path}</translation>
        </message>
        <message>
            <source>WZDx feed (*.geojson)</source>
            <translation>Flusso WZDx (*.geojson)</translation>
        </message>
        <message>
            <source>The GeoJSON file of the WZDx 4.2 feed.</source>
            <translation>Il file GeoJSON del flusso WZDx 4.2.</translation>
        </message>
        <message>
            <source>Traffic and permit</source>
            <translation>Traffico e autorizzazione</translation>
        </message>
        <message>
            <source>Record</source>
            <translation>Registro</translation>
        </message>
        <message>
            <source>Choose the works, the conflicts layer and the period of the report.</source>
            <translation>Scegliere i cantieri, il layer dei conflitti e il periodo del rapporto.</translation>
        </message>
        <message>
            <source>The report ends on {end}, before it starts ({start}).</source>
            <translation>Il rapporto finisce il {end}, prima di cominciare ({start}).</translation>
        </message>
        <message>
            <source>The period of the report is too long.</source>
            <translation>Il periodo del rapporto è troppo lungo.</translation>
        </message>
        <message>
            <source>Coordination report</source>
            <translation>Rapporto di coordinamento</translation>
        </message>
        <message>
            <source>Report written: {path}</source>
            <translation>Rapporto scritto: {path}</translation>
        </message>
        <message>
            <source>No valid work of {layer} has the uid '{uid}'.</source>
            <translation>Nessun cantiere valido di {layer} ha l'uid '{uid}'.</translation>
        </message>
        <message>
            <source>Site sheet</source>
            <translation>Scheda di cantiere</translation>
        </message>
        <message>
            <source>Site sheet written: {path}</source>
            <translation>Scheda di cantiere scritta: {path}</translation>
        </message>
        <message>
            <source>The report {path} could not be written: {error}</source>
            <translation>Impossibile scrivere il rapporto {path}: {error}</translation>
        </message>
        <message>
            <source>The works, in any CRS, with the fields of the works schema (see Validate works): those on the street in the period are reported.</source>
            <translation>I cantieri, in qualsiasi sistema di riferimento, con i campi dello schema dei cantieri (vedi Valida i cantieri): il rapporto riguarda quelli su strada nel periodo.</translation>
        </message>
        <message>
            <source>Conflicts (from Detect conflicts)</source>
            <translation>Conflitti (da Trova i conflitti)</translation>
        </message>
        <message>
            <source>The conflicts layer Detect conflicts writes (kind, uid_a, uid_b, severity, overlap dates, status, note, titles): those in force in the period are reported, with the room's decisions.</source>
            <translation>Il layer dei conflitti scritto da Trova i conflitti (kind, uid_a, uid_b, severity, date di sovrapposizione, status, note, titoli): il rapporto riporta quelli in essere nel periodo, con le decisioni della sala.</translation>
        </message>
        <message>
            <source>Detours (from Detour analysis)</source>
            <translation>Deviazioni (dall'Analisi delle deviazioni)</translation>
        </message>
        <message>
            <source>A detours layer of Detour analysis: drawn on the map and listed per work.</source>
            <translation>Un layer delle deviazioni dell'Analisi delle deviazioni: disegnato sulla mappa ed elencato per cantiere.</translation>
        </message>
        <message>
            <source>The first day of the report, as YYYY-MM-DD in qgis_process.</source>
            <translation>Il primo giorno del rapporto, come AAAA-MM-GG in qgis_process.</translation>
        </message>
        <message>
            <source>The last day of the report (inclusive), as YYYY-MM-DD in qgis_process.</source>
            <translation>L'ultimo giorno del rapporto (compreso), come AAAA-MM-GG in qgis_process.</translation>
        </message>
        <message>
            <source>Format</source>
            <translation>Formato</translation>
        </message>
        <message>
            <source>pdf: a PDF from the print layout; html: one self-contained HTML file.</source>
            <translation>pdf: un PDF dal layout di stampa; html: un unico file HTML autosufficiente.</translation>
        </message>
        <message>
            <source>Road network (for the detours)</source>
            <translation>Rete stradale (per le deviazioni)</translation>
        </message>
        <message>
            <source>Drivable road lines with OSM tags: drawn under the works, and the detours, streets cut off and day-by-day closures are computed by the detour engine.</source>
            <translation>Linee stradali percorribili con tag OSM: disegnate sotto i cantieri; le deviazioni, le strade isolate e le chiusure giorno per giorno sono calcolate dal motore delle deviazioni.</translation>
        </message>
        <message>
            <source>The bus timetable as a GTFS zip (with ROADS): the bus routes driving along closed roads.</source>
            <translation>L'orario dei bus come zip GTFS (con ROADS): le linee bus che percorrono strade chiuse.</translation>
        </message>
        <message>
            <source>Report</source>
            <translation>Rapporto</translation>
        </message>
        <message>
            <source>PDF (*.pdf);;HTML (*.html)</source>
            <translation>PDF (*.pdf);;HTML (*.html)</translation>
        </message>
        <message>
            <source>The report file; the CSVs of its tables are written next to it.</source>
            <translation>Il file del rapporto; i CSV delle sue tabelle sono scritti accanto.</translation>
        </message>
        <message>
            <source>Report of {works} works and {conflicts} conflicts written to {path} ({pages} pages)</source>
            <translation>Rapporto di {works} cantieri e {conflicts} conflitti scritto in {path} ({pages} pagine)</translation>
        </message>
        <message>
            <source>The works, in any CRS, with the fields of the works schema: the work of the sheet and those it may conflict with.</source>
            <translation>I cantieri, in qualsiasi sistema di riferimento, con i campi dello schema dei cantieri: il cantiere della scheda e quelli con cui può entrare in conflitto.</translation>
        </message>
        <message>
            <source>Work uid</source>
            <translation>Uid del cantiere</translation>
        </message>
        <message>
            <source>The uid of the work of the sheet.</source>
            <translation>L'uid del cantiere della scheda.</translation>
        </message>
        <message>
            <source>Drivable road lines with OSM tags: drawn on the map, and the work's detours and the streets it cuts off are computed.</source>
            <translation>Linee stradali percorribili con tag OSM: disegnate sulla mappa; si calcolano le deviazioni del cantiere e le strade che isola.</translation>
        </message>
        <message>
            <source>The bus timetable as a GTFS zip (with ROADS): the bus lines the work makes reroute.</source>
            <translation>L'orario dei bus come zip GTFS (con ROADS): le linee bus che il cantiere costringe a deviare.</translation>
        </message>
        <message>
            <source>PDF (*.pdf)</source>
            <translation>PDF (*.pdf)</translation>
        </message>
        <message>
            <source>The sheet as a one-page PDF; the CSVs of its tables are written next to it.</source>
            <translation>La scheda come PDF di una pagina; i CSV delle sue tabelle sono scritti accanto.</translation>
        </message>
        <message>
            <source>WORK_UID: no valid work of WORKS has the uid '{uid}'</source>
            <translation>WORK_UID: nessun cantiere valido di WORKS ha l'uid '{uid}'</translation>
        </message>
        <message>
            <source>Site sheet of «{title}» written to {path}</source>
            <translation>Scheda di cantiere di «{title}» scritta in {path}</translation>
        </message>
        <message>
            <source>Works on the street</source>
            <translation>Cantieri su strada</translation>
        </message>
        <message>
            <source>Road closures</source>
            <translation>Chiusure di strade</translation>
        </message>
        <message>
            <source>Map of the works by organisation and of the conflicts</source>
            <translation>Mappa dei cantieri per ente e dei conflitti</translation>
        </message>
        <message>
            <source>Map</source>
            <translation>Mappa</translation>
        </message>
        <message>
            <source>{start} – {end}</source>
            <translation>{start} – {end}</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>sì</translation>
        </message>
        <message>
            <source>no</source>
            <translation>no</translation>
        </message>
        <message>
            <source>Legend</source>
            <translation>Legenda</translation>
        </message>
        <message>
            <source>Generated on {moment}</source>
            <translation>Generato il {moment}</translation>
        </message>
        <message>
            <source>{title} (continued)</source>
            <translation>{title} (segue)</translation>
        </message>
        <message>
            <source>Page {page} of {pages}</source>
            <translation>Pagina {page} di {pages}</translation>
        </message>
        <message>
            <source>The PDF {path} could not be written: {error}</source>
            <translation>Impossibile scrivere il PDF {path}: {error}</translation>
        </message>
        <message>
            <source>{record}: {field} '{value}' is not a date (expected YYYY-MM-DD)</source>
            <translation>{record}: {field} '{value}' non è una data (atteso AAAA-MM-GG)</translation>
        </message>
        <message>
            <source>{layer}: not a {what} layer, it has no field {fields}</source>
            <translation>{layer}: non è un layer di {what}, manca il campo {fields}</translation>
        </message>
        <message>
            <source>{record}: {field} '{value}' is not a number</source>
            <translation>{record}: {field} '{value}' non è un numero</translation>
        </message>
        <message>
            <source>conflicts</source>
            <translation>conflitti</translation>
        </message>
        <message>
            <source>detours</source>
            <translation>deviazioni</translation>
        </message>
        <message>
            <source>The work</source>
            <translation>Il cantiere</translation>
        </message>
        <message>
            <source>Streets cut off</source>
            <translation>Strade isolate</translation>
        </message>
        <message>
            <source>Road works coordination report</source>
            <translation>Rapporto di coordinamento dei cantieri</translation>
        </message>
        <message>
            <source>Works on the street from {start} to {end}: {works} works, {conflicts} conflicts</source>
            <translation>Cantieri su strada dal {start} al {end}: {works} cantieri, {conflicts} conflitti</translation>
        </message>
        <message>
            <source>Impact day by day</source>
            <translation>Impatto giorno per giorno</translation>
        </message>
        <message>
            <source>Site sheet: {title}</source>
            <translation>Scheda di cantiere: {title}</translation>
        </message>
        <message>
            <source>{owner}, {dates}</source>
            <translation>{owner}, {dates}</translation>
        </message>
        <message>
            <source>Organisations</source>
            <translation>Enti</translation>
        </message>
        <message>
            <source>Decision</source>
            <translation>Decisione</translation>
        </message>
        <message>
            <source>No conflict in this period.</source>
            <translation>Nessun conflitto nel periodo.</translation>
        </message>
        <message>
            <source>Summary per organisation</source>
            <translation>Riepilogo per ente</translation>
        </message>
        <message>
            <source>Days on the street</source>
            <translation>Giorni su strada</translation>
        </message>
        <message>
            <source>Open conflicts</source>
            <translation>Conflitti aperti</translation>
        </message>
        <message>
            <source>No work in this period.</source>
            <translation>Nessun cantiere nel periodo.</translation>
        </message>
        <message>
            <source>Blocked stretches</source>
            <translation>Tratti bloccati</translation>
        </message>
        <message>
            <source>Without a way round</source>
            <translation>Senza alternativa</translation>
        </message>
        <message>
            <source>Longest detour (m)</source>
            <translation>Deviazione più lunga (m)</translation>
        </message>
        <message>
            <source>Extra time (s)</source>
            <translation>Tempo in più (s)</translation>
        </message>
        <message>
            <source>Road cut off (m)</source>
            <translation>Strada isolata (m)</translation>
        </message>
        <message>
            <source>No work closes a road in this period.</source>
            <translation>Nessun cantiere chiude strade nel periodo.</translation>
        </message>
        <message>
            <source>No detours: give the road network (or a detours layer) to compute them.</source>
            <translation>Nessuna deviazione: indicare la rete stradale (o un layer delle deviazioni) per calcolarle.</translation>
        </message>
        <message>
            <source>Street</source>
            <translation>Strada</translation>
        </message>
        <message>
            <source>Works responsible</source>
            <translation>Cantieri responsabili</translation>
        </message>
        <message>
            <source>Length (m)</source>
            <translation>Lunghezza (m)</translation>
        </message>
        <message>
            <source>No street is cut off.</source>
            <translation>Nessuna strada isolata.</translation>
        </message>
        <message>
            <source>Not computed: give the road network.</source>
            <translation>Non calcolato: indicare la rete stradale.</translation>
        </message>
        <message>
            <source>(unnamed road)</source>
            <translation>(strada senza nome)</translation>
        </message>
        <message>
            <source>Not computed: give the road network and the bus network (GTFS).</source>
            <translation>Non calcolato: indicare la rete stradale e la rete bus (GTFS).</translation>
        </message>
        <message>
            <source>Not computed: give the bus network (GTFS).</source>
            <translation>Non calcolato: indicare la rete bus (GTFS).</translation>
        </message>
        <message>
            <source>No bus route drives along a closed road.</source>
            <translation>Nessuna linea bus percorre una strada chiusa.</translation>
        </message>
        <message>
            <source>Bus routes affected</source>
            <translation>Linee bus interessate</translation>
        </message>
        <message>
            <source>Route</source>
            <translation>Linea</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Nome</translation>
        </message>
        <message>
            <source>Trips (first day)</source>
            <translation>Corse (primo giorno)</translation>
        </message>
        <message>
            <source>Stops skipped</source>
            <translation>Fermate saltate</translation>
        </message>
        <message>
            <source>Extra metres</source>
            <translation>Metri in più</translation>
        </message>
        <message>
            <source>no way round</source>
            <translation>nessuna alternativa</translation>
        </message>
        <message>
            <source>Extra metres of detours</source>
            <translation>Metri in più delle deviazioni</translation>
        </message>
        <message>
            <source>Bus trips affected</source>
            <translation>Corse bus interessate</translation>
        </message>
        <message>
            <source>Field</source>
            <translation>Campo</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>Valore</translation>
        </message>
        <message>
            <source>… {count} more rows in {file}</source>
            <translation>… altre {count} righe in {file}</translation>
        </message>
        <message>
            <source>Reports</source>
            <translation>Rapporti</translation>
        </message>
        <message>
            <source>What the reports show</source>
            <translation>Cosa mostrano i rapporti</translation>
        </message>
        <message>
            <source>Roads (detours, cut-off streets)</source>
            <translation>Strade (deviazioni, strade isolate)</translation>
        </message>
        <message>
            <source>GTFS (*.zip)</source>
            <translation>GTFS (*.zip)</translation>
        </message>
        <message>
            <source>PDF (print layout)</source>
            <translation>PDF (layout di stampa)</translation>
        </message>
        <message>
            <source>HTML (web page)</source>
            <translation>HTML (pagina web)</translation>
        </message>
        <message>
            <source>Write the coordination report…</source>
            <translation>Scrivi il rapporto di coordinamento…</translation>
        </message>
        <message>
            <source>Map of the works by organisation and their conflicts, the conflicts with their decisions, detours, cut-off streets, bus routes, a summary per organisation and the day-by-day impact; a CSV of every table beside it</source>
            <translation>Mappa dei cantieri per ente e dei loro conflitti, i conflitti con le decisioni prese, deviazioni, strade isolate, linee bus, un riepilogo per ente e l'impatto giorno per giorno; accanto, un CSV per ogni tabella</translation>
        </message>
        <message>
            <source>One page for the site plan of the work selected on the map: its map, data, conflicts, detour and bus lines.</source>
            <translation>Una pagina per il piano di cantiere del cantiere selezionato sulla mappa: mappa, dati, conflitti, deviazione e linee bus.</translation>
        </message>
        <message>
            <source>Write the site sheet of the selected work…</source>
            <translation>Scrivi la scheda del cantiere selezionato…</translation>
        </message>
        <message>
            <source>Choose the works layer first.</source>
            <translation>Scegli prima il layer dei cantieri.</translation>
        </message>
        <message>
            <source>HTML (*.html)</source>
            <translation>HTML (*.html)</translation>
        </message>
        <message>
            <source>Writing {file}…</source>
            <translation>Scrittura di {file}…</translation>
        </message>
        <message>
            <source>Select one work on the map (in the works layer chosen above) first.</source>
            <translation>Seleziona prima un cantiere sulla mappa (nel layer dei cantieri scelto sopra).</translation>
        </message>
        <message>
            <source>Written: {path}</source>
            <translation>Scritto: {path}</translation>
        </message>
        <message>
            <source>The period covers {days} days; at most {limit} are allowed</source>
            <translation>Il periodo copre {days} giorni; al massimo ne sono ammessi {limit}</translation>
        </message>
        <message>
            <source>The point could not be added: see the Situation Room log.</source>
            <translation>Il punto non è stato aggiunto: vedi il registro di Situation Room.</translation>
        </message>
        <message>
            <source>Save or cancel the open work's form first: the new drawing was not kept.</source>
            <translation>Salva o annulla prima la scheda del cantiere aperta: il nuovo disegno non è stato tenuto.</translation>
        </message>
        <message>
            <source>The work is in the works layer's edits: save the layer to keep it in the store.</source>
            <translation>Il cantiere è tra le modifiche del layer dei cantieri: salva il layer per tenerlo nell'archivio.</translation>
        </message>
        <message>
            <source>footprint of {area} m²</source>
            <translation>ingombro di {area} m²</translation>
        </message>
        <message>
            <source>Platform</source>
            <translation>Piattaforma</translation>
        </message>
        <message>
            <source>A shared layer marked writable in the registry (WFS-T of the platform)</source>
            <translation>Un layer condiviso indicato come scrivibile nel registro (WFS-T della piattaforma)</translation>
        </message>
        <message>
            <source>Send my changes</source>
            <translation>Invia le mie modifiche</translation>
        </message>
        <message>
            <source>Receive</source>
            <translation>Ricevi</translation>
        </message>
        <message>
            <source>Sync</source>
            <translation>Sincronizza</translation>
        </message>
        <message>
            <source>Send the changes waiting, receive the others', merge field by field</source>
            <translation>Invia le modifiche in attesa, ricevi quelle degli altri, unisci campo per campo</translation>
        </message>
        <message>
            <source>Changes waiting for the platform</source>
            <translation>Modifiche in attesa per la piattaforma</translation>
        </message>
        <message>
            <source>Change</source>
            <translation>Modifica</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Stato</translation>
        </message>
        <message>
            <source>Tries</source>
            <translation>Tentativi</translation>
        </message>
        <message>
            <source>Server's answer</source>
            <translation>Risposta del server</translation>
        </message>
        <message>
            <source>Send the refused ones again</source>
            <translation>Invia di nuovo quelle rifiutate</translation>
        </message>
        <message>
            <source>Conflicts to review</source>
            <translation>Conflitti da esaminare</translation>
        </message>
        <message>
            <source>Fields</source>
            <translation>Campi</translation>
        </message>
        <message>
            <source>Since</source>
            <translation>Dal</translation>
        </message>
        <message>
            <source>Review the selected conflict…</source>
            <translation>Esamina il conflitto selezionato…</translation>
        </message>
        <message>
            <source>No platform to sync with: mark the platform's works layer writable in the registry of shared layers.</source>
            <translation>Nessuna piattaforma con cui sincronizzare: indica come scrivibile il layer dei cantieri della piattaforma nel registro dei layer condivisi.</translation>
        </message>
        <message>
            <source>Never synced with this platform.</source>
            <translation>Mai sincronizzato con questa piattaforma.</translation>
        </message>
        <message>
            <source>Last sync {when}: {sent} sent, {received} received, {merged} merged, {conflicts} conflicts, {refused} refused, {failed} failed.</source>
            <translation>Ultima sincronizzazione {when}: {sent} inviate, {received} ricevute, {merged} unite, {conflicts} conflitti, {refused} rifiutate, {failed} non riuscite.</translation>
        </message>
        <message>
            <source>new</source>
            <translation>nuovo</translation>
        </message>
        <message>
            <source>changed</source>
            <translation>modificato</translation>
        </message>
        <message>
            <source>deleted</source>
            <translation>eliminato</translation>
        </message>
        <message>
            <source>waiting</source>
            <translation>in attesa</translation>
        </message>
        <message>
            <source>sent, not yet confirmed</source>
            <translation>inviata, non ancora confermata</translation>
        </message>
        <message>
            <source>refused</source>
            <translation>rifiutata</translation>
        </message>
        <message>
            <source>edit against a delete</source>
            <translation>modifica contro un'eliminazione</translation>
        </message>
        <message>
            <source>Changes not yet sent</source>
            <translation>Modifiche non ancora inviate</translation>
        </message>
        <message>
            <source>Syncing with {platform}…</source>
            <translation>Sincronizzazione con {platform}…</translation>
        </message>
        <message>
            <source>Situation Room: sync</source>
            <translation>Situation Room: sincronizzazione</translation>
        </message>
        <message>
            <source>{sent} sent, {received} received, {merged} merged, {conflicts} conflicts, {refused} refused, {failed} failed.</source>
            <translation>{sent} inviate, {received} ricevute, {merged} unite, {conflicts} conflitti, {refused} rifiutate, {failed} non riuscite.</translation>
        </message>
        <message>
            <source>Conflict on a work</source>
            <translation>Conflitto su un cantiere</translation>
        </message>
        <message>
            <source>The same work was changed here and on the platform. For each field, keep yours, keep the platform's, or write the value to keep.</source>
            <translation>Lo stesso cantiere è stato modificato qui e sulla piattaforma. Per ogni campo, tieni il tuo, tieni quello della piattaforma o scrivi il valore da tenere.</translation>
        </message>
        <message>
            <source>Before</source>
            <translation>Prima</translation>
        </message>
        <message>
            <source>Mine</source>
            <translation>Mio</translation>
        </message>
        <message>
            <source>Theirs</source>
            <translation>Della piattaforma</translation>
        </message>
        <message>
            <source>Keep</source>
            <translation>Da tenere</translation>
        </message>
        <message>
            <source>the whole work (edited against a delete)</source>
            <translation>l'intero cantiere (modificato contro un'eliminazione)</translation>
        </message>
        <message>
            <source>Keep mine</source>
            <translation>Tieni il mio</translation>
        </message>
        <message>
            <source>Keep the platform's</source>
            <translation>Tieni quello della piattaforma</translation>
        </message>
        <message>
            <source>Keep the values in the Keep column</source>
            <translation>Tieni i valori della colonna Da tenere</translation>
        </message>
        <message>
            <source>school</source>
            <translation>scuola</translation>
        </message>
        <message>
            <source>kindergarten</source>
            <translation>scuola dell'infanzia</translation>
        </message>
        <message>
            <source>childcare</source>
            <translation>asilo nido</translation>
        </message>
        <message>
            <source>college</source>
            <translation>istituto di formazione</translation>
        </message>
        <message>
            <source>university</source>
            <translation>università</translation>
        </message>
        <message>
            <source>hospital</source>
            <translation>ospedale</translation>
        </message>
        <message>
            <source>clinic</source>
            <translation>ambulatorio</translation>
        </message>
        <message>
            <source>nursing home</source>
            <translation>casa di riposo</translation>
        </message>
        <message>
            <source>bus stop</source>
            <translation>fermata dell'autobus</translation>
        </message>
        <message>
            <source>event</source>
            <translation>evento</translation>
        </message>
        <message>
            <source>parking</source>
            <translation>parcheggio</translation>
        </message>
        <message>
            <source>protected street</source>
            <translation>strada protetta</translation>
        </message>
        <message>
            <source>The .qgs or .qgz project whose store is synced; empty: the project open in QGIS (qgis_process has none: give PROJECT=path/to/project.qgs).</source>
            <translation>Il progetto .qgs o .qgz di cui sincronizzare l'archivio; vuoto: il progetto aperto in QGIS (qgis_process non ne ha uno: indicare PROJECT=percorso/del/progetto.qgs).</translation>
        </message>
        <message>
            <source>Platform (source id)</source>
            <translation>Piattaforma (id della fonte)</translation>
        </message>
        <message>
            <source>The id of the project's writable source to sync with; empty: the project's only writable source.</source>
            <translation>L'id della fonte scrivibile del progetto con cui sincronizzare; vuoto: l'unica fonte scrivibile del progetto.</translation>
        </message>
        <message>
            <source>Direction</source>
            <translation>Direzione</translation>
        </message>
        <message>
            <source>push</source>
            <translation>invia</translation>
        </message>
        <message>
            <source>pull</source>
            <translation>ricevi</translation>
        </message>
        <message>
            <source>both</source>
            <translation>entrambe</translation>
        </message>
        <message>
            <source>push: send the local changes; pull: take the platform's changes; both: send, then take.</source>
            <translation>invia: manda le modifiche locali; ricevi: prende le modifiche della piattaforma; entrambe: prima invia, poi riceve.</translation>
        </message>
        <message>
            <source>Changes sent</source>
            <translation>Modifiche inviate</translation>
        </message>
        <message>
            <source>Works received</source>
            <translation>Cantieri ricevuti</translation>
        </message>
        <message>
            <source>Works merged</source>
            <translation>Cantieri uniti</translation>
        </message>
        <message>
            <source>Changes refused</source>
            <translation>Modifiche rifiutate</translation>
        </message>
        <message>
            <source>Failed</source>
            <translation>Non riuscite</translation>
        </message>
        <message>
            <source>No writable source with id {id} in the project (writable: {ids})</source>
            <translation>Nel progetto non c'è una fonte scrivibile con id {id} (scrivibili: {ids})</translation>
        </message>
        <message>
            <source>Give SOURCE, the id of one of the project's writable sources ({ids})</source>
            <translation>Indicare SOURCE, l'id di una delle fonti scrivibili del progetto ({ids})</translation>
        </message>
        <message>
            <source>Sent {sent}, received {received}, merged {merged}, conflicts {conflicts}, refused {refused}, failed {failed}</source>
            <translation>Inviate {sent}, ricevuti {received}, uniti {merged}, conflitti {conflicts}, rifiutate {refused}, non riuscite {failed}</translation>
        </message>
        <message>
            <source>A sync is running: review the conflict again when it ends.</source>
            <translation>È in corso una sincronizzazione: esamina di nuovo il conflitto quando finisce.</translation>
        </message>
        <message>
            <source>The .qgs or .qgz project whose writable source is the platform; empty: the project open in QGIS (qgis_process has none: give PROJECT=path/to/project.qgs).</source>
            <translation>Il progetto .qgs o .qgz la cui fonte scrivibile è la piattaforma; vuoto: il progetto aperto in QGIS (qgis_process non ne ha uno: indicare PROJECT=percorso/del/progetto.qgs).</translation>
        </message>
        <message>
            <source>The id of the project's writable source to publish to; empty: the project's only writable source.</source>
            <translation>L'id della fonte scrivibile del progetto su cui pubblicare; vuoto: l'unica fonte scrivibile del progetto.</translation>
        </message>
        <message>
            <source>The OUTPUT layer of Detect conflicts, with its fields as it made them; its conflicts replace those published before.</source>
            <translation>Il layer OUTPUT di Trova i conflitti, con i campi così come li ha creati; i suoi conflitti sostituiscono quelli pubblicati in precedenza.</translation>
        </message>
        <message>
            <source>Detours (from Detour analysis of a day)</source>
            <translation>Deviazioni (da Analisi delle deviazioni di un giorno)</translation>
        </message>
        <message>
            <source>The OUTPUT_DETOURS layer of Detour analysis of a day; its detours replace those published before.</source>
            <translation>Il layer OUTPUT_DETOURS di Analisi delle deviazioni di un giorno; le sue deviazioni sostituiscono quelle pubblicate in precedenza.</translation>
        </message>
        <message>
            <source>Day of the detours (YYYY-MM-DD)</source>
            <translation>Giorno delle deviazioni (AAAA-MM-GG)</translation>
        </message>
        <message>
            <source>The DATE the detour analysis was run for; needed with DETOURS unless its layer has a day field.</source>
            <translation>La data (DATE) per cui è stata eseguita l'analisi delle deviazioni; obbligatoria con DETOURS, a meno che il layer non abbia un campo day.</translation>
        </message>
        <message>
            <source>Results inserted</source>
            <translation>Risultati inseriti</translation>
        </message>
        <message>
            <source>Results updated</source>
            <translation>Risultati aggiornati</translation>
        </message>
        <message>
            <source>Results unchanged</source>
            <translation>Risultati invariati</translation>
        </message>
        <message>
            <source>Results withdrawn</source>
            <translation>Risultati ritirati</translation>
        </message>
        <message>
            <source>Results refused</source>
            <translation>Risultati rifiutati</translation>
        </message>
        <message>
            <source>Nothing to publish: give CONFLICTS (the output of Detect conflicts), DETOURS (the detours of Detour analysis of a day) or both.</source>
            <translation>Niente da pubblicare: indicare CONFLICTS (il risultato di Trova i conflitti), DETOURS (le deviazioni di Analisi delle deviazioni di un giorno) o entrambi.</translation>
        </message>
        <message>
            <source>Give DATE, the day the detour analysis was run for: the DETOURS layer has no day field.</source>
            <translation>Indicare DATE, il giorno per cui è stata eseguita l'analisi delle deviazioni: il layer DETOURS non ha un campo day.</translation>
        </message>
        <message>
            <source>{kind}: inserted {INSERTED}, updated {UPDATED}, unchanged {UNCHANGED}, withdrawn {WITHDRAWN}, refused {REFUSED}</source>
            <translation>{kind}: inseriti {INSERTED}, aggiornati {UPDATED}, invariati {UNCHANGED}, ritirati {WITHDRAWN}, rifiutati {REFUSED}</translation>
        </message>
        <message>
            <source>Only the Comune may publish results: the platform refused {count} {kind} of {organisation}</source>
            <translation>Solo il Comune può pubblicare i risultati: la piattaforma ha rifiutato {count} {kind} di {organisation}</translation>
        </message>
    </context>
    <context>
        <name>Alerts</name>
        <message>
            <source>Past its end date ({end_date}, {days} days ago) and not completed.</source>
            <translation>Oltre la data di fine ({end_date}, {days} giorni fa) e non completato.</translation>
        </message>
        <message>
            <source>Starts on {start_date} (in {days} days) without a permit reference.</source>
            <translation>Inizia il {start_date} (tra {days} giorni) senza riferimento di autorizzazione.</translation>
        </message>
        <message>
            <source>New clash with «{other}» ({other_owner}), severity {severity}.</source>
            <translation>Nuova interferenza con «{other}» ({other_owner}), gravità {severity}.</translation>
        </message>
        <message>
            <source>New dig-once opportunity with «{other}» ({other_owner}).</source>
            <translation>Nuova opportunità di coordinamento con «{other}» ({other_owner}).</translation>
        </message>
        <message>
            <source>New: digs the protected street {other}, severity {severity}.</source>
            <translation>Nuovo: scavo nella strada protetta {other}, gravità {severity}.</translation>
        </message>
        <message>
            <source>New: works by the sensitive place {other}, severity {severity}.</source>
            <translation>Nuovo: lavori presso il luogo sensibile {other}, gravità {severity}.</translation>
        </message>
        <message>
            <source>New: takes parking of {other}, severity {severity}.</source>
            <translation>Nuovo: occupa parcheggi di {other}, gravità {severity}.</translation>
        </message>
        <message>
            <source>Conflict with «{other}» worse since the previous run: severity {previous} → {severity}.</source>
            <translation>Conflitto con «{other}» aggravato rispetto all'analisi precedente: gravità {previous} → {severity}.</translation>
        </message>
        <message>
            <source>The offline copy is {hours} hours old, older than its refresh interval ({minutes} minutes).</source>
            <translation>La copia offline ha {hours} ore, più del suo intervallo di aggiornamento ({minutes} minuti).</translation>
        </message>
        <message>
            <source>No offline copy yet (refresh interval {minutes} minutes).</source>
            <translation>Ancora nessuna copia offline (intervallo di aggiornamento {minutes} minuti).</translation>
        </message>
    </context>
    <context>
        <name>Algorithms</name>
        <message>
            <source>Validate works</source>
            <translation>Valida i cantieri</translation>
        </message>
        <message>
            <source>Detect conflicts</source>
            <translation>Trova i conflitti</translation>
        </message>
        <message>
            <source>Sensitive places and parking from OpenStreetMap</source>
            <translation>Luoghi sensibili e parcheggi da OpenStreetMap</translation>
        </message>
        <message>
            <source>Reads an OpenStreetMap extract (.osm.pbf or .osm) and gives, in EPSG:6707, the sensitive places (schools, kindergartens, universities, hospitals, clinics, care homes as points and as areas; bus stops) and the parking areas with their capacity when mapped. Use them as SENSITIVE and PARKING in Detect conflicts. © OpenStreetMap contributors (ODbL).</source>
            <translation>Legge un estratto OpenStreetMap (.osm.pbf o .osm) e fornisce, in EPSG:6707, i luoghi sensibili (scuole, scuole dell'infanzia, università, ospedali, cliniche, case di riposo come punti e come aree; fermate dell'autobus) e le aree di parcheggio con la loro capienza, quando mappata. Usali come SENSITIVE e PARKING in Trova i conflitti. © OpenStreetMap contributors (ODbL).</translation>
        </message>
        <message>
            <source>Suggest a schedule</source>
            <translation>Suggerisci un calendario</translation>
        </message>
        <message>
            <source>Detour analysis of a day</source>
            <translation>Analisi delle deviazioni di un giorno</translation>
        </message>
        <message>
            <source>Impact timeline of works</source>
            <translation>Impatto dei cantieri nel tempo</translation>
        </message>
        <message>
            <source>Network criticality</source>
            <translation>Criticità della rete</translation>
        </message>
        <message>
            <source>Import a feed of works</source>
            <translation>Importa una fonte di cantieri</translation>
        </message>
        <message>
            <source>Refresh shared layers</source>
            <translation>Aggiorna i layer condivisi</translation>
        </message>
        <message>
            <source>Finds, in one pass, every conflict between the works:
- clash: footprints within DISTANCE metres on overlapping dates (inclusive); works in disjoint daily hours, e.g. night and day, clash with a lower severity;
- opportunity: works on the same stretch of street, within OPPORTUNITY_DAYS of each other, at least one excavating: dig once;
- moratorium: an excavation in a PROTECTED street stretch before its protected_until date;
- sensitive: a work within DISTANCE of a place of the SENSITIVE layers (schools, hospitals, events with their dates, bus stops) while both are active;
- parking: parking areas, kerbside lanes or stalls of PARKING taken by a footprint, with the spaces lost per day.
Cancelled and completed works are left out unless INCLUDE_INACTIVE is set. Severity (0-100) grows with the traffic impact of the works, the importance of the ROADS they are on (optional) and the days they overlap.
Every conflict has a stable id; its status (open, acknowledged, resolved, accepted) and note are kept in the project store (or the STORE given) across runs, and a conflict no longer found is marked gone there, never deleted.
Geometry: the shared area, or the shortest line between the two drawn as a band half a metre wide, so that one layer holds every conflict (distance_m is exact).</source>
            <translation>Trova in un solo passaggio ogni conflitto tra i cantieri:
- clash, interferenza: aree di cantiere entro DISTANCE metri in date che si sovrappongono (estremi inclusi); cantieri in fasce orarie giornaliere disgiunte, per esempio notte e giorno, interferiscono con gravità minore;
- opportunity, occasione di coordinamento: cantieri sullo stesso tratto di strada, a non più di OPPORTUNITY_DAYS giorni l'uno dall'altro, almeno uno con scavo: si scava una volta sola;
- moratorium, divieto di manomissione: uno scavo in un tratto stradale PROTECTED prima della sua data protected_until;
- sensitive, luogo sensibile: un cantiere entro DISTANCE metri da un luogo dei layer SENSITIVE (scuole, ospedali, eventi con le loro date, fermate dell'autobus) mentre entrambi sono attivi;
- parking, parcheggio: aree, corsie o stalli di PARKING occupati da un'area di cantiere, con i posti persi per giorno.
I cantieri annullati e completati sono esclusi, salvo INCLUDE_INACTIVE. La gravità (0-100) cresce con l'impatto sul traffico dei cantieri, con l'importanza delle strade ROADS su cui si trovano (facoltativo) e con i giorni di sovrapposizione.
Ogni conflitto ha un identificativo stabile; il suo stato (open, acknowledged, resolved, accepted: aperto, preso in carico, risolto, accettato) e la nota sono conservati nell'archivio del progetto (o nello STORE indicato) da un'esecuzione all'altra, e un conflitto non più trovato vi viene segnato come scomparso, mai cancellato.
Geometria: l'area in comune, oppure la linea più breve tra i due disegnata come una fascia larga mezzo metro, così che un solo layer contenga ogni conflitto (distance_m è esatta).</translation>
        </message>
        <message>
            <source>The works on the street on DATE (not completed or cancelled) whose traffic impact is all-lanes-closed close the roads their footprints cover (at least 5 m of a road, so a footprint that only touches a crossing street does not close it; closed_direction closes one direction only); some-lanes-closed and alternating-one-way slow them down. Roads are the drivable lines of ROADS (OSM tags: highway, oneway, junction, maxspeed), noded where they share vertices.
OUTPUT_DETOURS: for every stretch a work blocks, the fastest way round between its end junctions in the network with all of the day's closures (status ok), or the blocked route (status no_detour); a stretch that leads nowhere (a dead-end street) gets one row, status no_detour, drawn as the blocked stretch; base_m, detour_m and extra_m in metres, extra_s in seconds, ratio = detour_m / base_m, cutoff_m the metres of road cut off beyond a stretch without a way round (0 with a detour).
OUTPUT_CUTOFF (optional): the roads that can no longer reach, or be reached from, the main network, with the works responsible.
OUTPUT_BUS (optional, with a GTFS zip): the routes whose buses drive along a closed road that day, the trips running that day, the stops on the closed roads, the extra metres of the longest reroute on bus roads (empty when there is none), with the reroutes as lines.</source>
            <translation>I cantieri presenti in strada alla data DATE (non completati né annullati) con impatto sul traffico all-lanes-closed chiudono le strade coperte dalla loro area di cantiere (almeno 5 m di strada: un'area di cantiere che tocca appena una strada trasversale non la chiude; closed_direction chiude un solo senso di marcia); some-lanes-closed e alternating-one-way le rallentano. Le strade sono le linee percorribili di ROADS (tag OSM: highway, oneway, junction, maxspeed), nodate dove condividono vertici.
OUTPUT_DETOURS: per ogni tratto bloccato da un cantiere, il percorso alternativo più rapido tra gli incroci alle sue estremità nella rete con tutte le chiusure del giorno (status ok), oppure il percorso bloccato (status no_detour); un tratto che non porta da nessuna parte (una strada senza uscita) ha una riga, status no_detour, disegnata come il tratto bloccato; base_m, detour_m ed extra_m in metri, extra_s in secondi, ratio = detour_m / base_m, cutoff_m i metri di strada isolati oltre un tratto senza alternativa (0 se c'è una deviazione).
OUTPUT_CUTOFF (facoltativo): le strade che non possono più raggiungere la rete principale, o esserne raggiunte, con i cantieri responsabili.
OUTPUT_BUS (facoltativo, con un GTFS zip): le linee i cui bus percorrono una strada chiusa quel giorno, le corse in servizio quel giorno, le fermate sulle strade chiuse, i metri in più della deviazione più lunga su strade adatte ai bus (vuoto se non esiste), con le deviazioni come linee.</translation>
        </message>
        <message>
            <source>For every day from START_DATE to END_DATE (inclusive), with the works of that day as in Detour analysis: the number of works closing roads, the total extra metres of their detours, the roads cut off from the main network, and (with a GTFS zip) the bus trips running that day along a closed road.
OUTPUT_INTERACTIONS (optional) lists the pairs of works on the street on the same days whose closures together make their detours take longer than apart, with the metres of those detours together and apart (extra_m_together empty: together there is no way round at all) and the days they overlap.</source>
            <translation>Per ogni giorno da START_DATE a END_DATE (inclusi), con i cantieri di quel giorno come nell'Analisi delle deviazioni: il numero di cantieri che chiudono strade, i metri in più complessivi delle loro deviazioni, le strade isolate dalla rete principale e (con un GTFS zip) le corse bus in servizio quel giorno lungo una strada chiusa.
OUTPUT_INTERACTIONS (facoltativo) elenca le coppie di cantieri presenti negli stessi giorni le cui chiusure, insieme, rendono le deviazioni più lunghe in tempo che separatamente, con i metri di quelle deviazioni insieme e separatamente (extra_m_together vuoto: insieme non esiste alcun percorso alternativo) e i giorni in cui si sovrappongono.</translation>
        </message>
        <message>
            <source>For every drivable road of ROADS (one feature per piece between junctions and way ends):
- detour_extra_m, the extra metres of the fastest way round if that street alone closed between its junctions (the worse of its two directions);
- no_alternative = 1 when its closure cuts the network (no way round in a direction it is open in: the roads behind it are cut off), then detour_extra_m is empty.
Streets with no alternative are found first in one linear pass. The map of the streets that must never close together with their detours.</source>
            <translation>Per ogni strada percorribile di ROADS (un elemento per tratto tra incroci e fine delle vie):
- detour_extra_m, i metri in più della deviazione più rapida se solo quella strada chiudesse tra i suoi incroci (il peggiore dei due sensi di marcia);
- no_alternative = 1 quando la sua chiusura interrompe la rete (nessun percorso alternativo in un senso in cui è aperta: le strade oltre restano isolate), e allora detour_extra_m è vuoto.
Le strade senza alternativa sono individuate prima, in un solo passaggio lineare. La mappa delle strade che non devono mai chiudere insieme, con le loro deviazioni.</translation>
        </message>
        <message>
            <source>Reads every source registered in the project (or those listed in SOURCES, ids separated by commas) and replaces its offline copy in the project store, one source at a time and all or nothing: a source that cannot be read keeps its previous copy.
PROJECT is a .qgs/.qgz file (empty: the current project; from qgis_process give PROJECT=path/to/project.qgs).
With DUE_ONLY, only the sources whose refresh interval (refresh_minutes) has passed since their copy was last checked are read: run it from a scheduler. REPORT lists every problem per source and per feature.</source>
            <translation>Legge ogni fonte registrata nel progetto (o quelle elencate in SOURCES, id separati da virgole) e ne sostituisce la copia offline nell'archivio del progetto, una fonte alla volta e tutto o niente: una fonte non leggibile conserva la copia precedente.
PROJECT è un file .qgs/.qgz (vuoto: il progetto corrente; da qgis_process indicare PROJECT=percorso/del/progetto.qgs).
Con DUE_ONLY si leggono solo le fonti il cui intervallo di aggiornamento (refresh_minutes) è trascorso dall'ultima verifica della copia: da lanciare con uno scheduler. REPORT elenca ogni problema per fonte e per elemento.</translation>
        </message>
        <message>
            <source>For the work WORK_UID, every start date that keeps the whole work within its window (earliest_start to latest_end), best first: the fewest and lightest clashes with the other works (footprints within DISTANCE metres, dates overlapping), then the closest to the planned start. Each row says why, naming the works it would clash with.
The score is the sum of the severities of its clashes (the same severity as Detect conflicts gives); with ROADS, clashes on more important roads weigh more, and when the work closes a road, so do the days it would be closed together with another closure that makes its detours longer or leaves no detour at all.
A work without a window gets its planned dates assessed.</source>
            <translation>Per il cantiere WORK_UID, ogni data di inizio che mantiene l'intero cantiere nella sua finestra (da earliest_start a latest_end), dalla migliore: le interferenze meno numerose e meno gravi con gli altri cantieri (aree di cantiere entro DISTANCE metri, date sovrapposte), poi la più vicina all'inizio previsto. Ogni riga dice perché, nominando i cantieri con cui interferirebbe.
Il punteggio è la somma delle gravità delle sue interferenze (la stessa gravità data da Trova i conflitti); con ROADS le interferenze su strade più importanti pesano di più e, quando il cantiere chiude una strada, pesano anche i giorni in cui sarebbe chiusa insieme a un'altra chiusura che allunga le sue deviazioni o non lascia alcuna deviazione.
Per un cantiere senza finestra si valutano le date previste.</translation>
        </message>
        <message>
            <source>Checks every feature of a works layer against the Situation Room works schema.
OUTPUT holds the valid works in the schema, in EPSG:6707 (self-intersecting footprints repaired).
REPORT lists every problem of every record: missing or unparsable dates, end before start, unknown organisations or values, empty, invalid or misplaced geometries (e.g. swapped latitude/longitude).</source>
            <translation>Controlla ogni elemento di un layer di cantieri rispetto allo schema dei cantieri di Situation Room.
OUTPUT contiene i cantieri validi nello schema, in EPSG:6707 (le aree autointersecanti vengono riparate).
REPORT elenca ogni problema di ogni record: date mancanti o illeggibili, fine prima dell'inizio, enti o valori sconosciuti, geometrie vuote, non valide o fuori posto (ad esempio latitudine e longitudine scambiate).</translation>
        </message>
        <message>
            <source>Reads the works a utility or the Comune publishes: a GeoJSON file or URL, a WFS (1.0, 1.1, 2.0), an OGC API Features collection or a WZDx 4.x feed.
KIND: 0 GeoJSON URL, 1 GeoJSON file, 2 WFS, 3 OGC API Features, 4 WZDx. LAYER names the WFS type or OGC API collection.
MAPPING (JSON, optional) maps the feed's fields to the works schema: {"fields": {"Data inizio": "start_date"}, "values": {"work_type": {"Scavo": "excavation"}}, "date_formats": {"start_date": ["%d/%m/%Y"]}, "defaults": {...}, "buffer_m": 5}.
Network access goes through QGIS's settings (proxy, SSL) and AUTHCFG; an address carrying a user name or password is refused (keep credentials in an authentication configuration). Among the advanced parameters, IDLE_TIMEOUT (seconds without a byte before a try is given up), TOTAL_TIMEOUT (the overall limit in seconds) and MAX_MB (the largest answer or file) say how patient to be.
OUTPUT holds the valid works in EPSG:6707; REPORT every problem of the feed and of each feature.</source>
            <translation>Legge i cantieri pubblicati da un gestore o dal Comune: un file o URL GeoJSON, un WFS (1.0, 1.1, 2.0), una collezione OGC API Features o un flusso WZDx 4.x.
KIND: 0 GeoJSON da URL, 1 file GeoJSON, 2 WFS, 3 OGC API Features, 4 WZDx. LAYER indica il tipo WFS o la collezione OGC API.
MAPPING (JSON, facoltativo) fa corrispondere i campi della fonte allo schema dei cantieri: {"fields": {"Data inizio": "start_date"}, "values": {"work_type": {"Scavo": "excavation"}}, "date_formats": {"start_date": ["%d/%m/%Y"]}, "defaults": {...}, "buffer_m": 5}.
L'accesso alla rete segue le impostazioni di QGIS (proxy, SSL) e AUTHCFG; un indirizzo che contiene un nome utente o una password viene rifiutato (le credenziali vanno in una configurazione di autenticazione). Tra i parametri avanzati, IDLE_TIMEOUT (i secondi senza dati dopo i quali un tentativo viene abbandonato), TOTAL_TIMEOUT (il limite complessivo in secondi) e MAX_MB (la risposta o il file più grande) dicono quanto attendere.
OUTPUT contiene i cantieri validi in EPSG:6707; REPORT ogni problema della fonte e di ogni elemento.</translation>
        </message>
        <message>
            <source>Add the valid works to the store</source>
            <translation>Aggiungi all'archivio i cantieri validi</translation>
        </message>
        <message>
            <source>Validates every feature of INPUT against the works schema and adds the valid works to the project's store (or the STORE given): a work whose uid the store does not have is added (revision 1); one it has is updated when something changed (revision + 1, with the time and your user name) and left alone when nothing did. Records with errors are refused, each named with its problem in REPORT; nothing else is lost.
Use it on the result of Validate works, on a partner's shared layer, or on any layer of works.</source>
            <translation>Valida ogni elemento di INPUT secondo lo schema dei cantieri e aggiunge i cantieri validi all'archivio del progetto (o allo STORE indicato): un cantiere il cui uid non è nell'archivio viene aggiunto (revisione 1); uno già presente viene aggiornato se qualcosa è cambiato (revisione + 1, con l'ora e il tuo nome utente) e lasciato com'è se nulla è cambiato. I record con errori vengono rifiutati, ciascuno indicato con il suo problema in REPORT; nient'altro va perso.
Usalo sul risultato di Valida i cantieri, su un layer condiviso di un partner o su qualsiasi layer di cantieri.</translation>
        </message>
        <message>
            <source>Export works affecting traffic as Waze CIFS</source>
            <translation>Esporta in Waze CIFS i cantieri che incidono sul traffico</translation>
        </message>
        <message>
            <source>Writes the works that affect traffic as a Waze closure and incident feed (CIFS): XML valid against the CIFS 2.0 schema when OUTPUT ends in .xml, Waze's JSON form when it ends in .json.
A work that closes every lane is a ROAD_CLOSED incident; one that closes some lanes or alternates one-way traffic a lane-closed hazard; one of unknown impact a CONSTRUCTION incident. Each has the work's uid as id, its street, its line as "lat lon" pairs, whether it takes one direction or both, its first and last day in Rome time, its daily hours and its organisation as source. Works whose traffic_impact is all-lanes-open, and completed or cancelled works, are left out and counted (SKIPPED_COUNT).
With ROADS, an incident follows the roads the work's footprint closes (as the detour analysis closes them), with their names; a work on separate stretches is one incident per stretch, with the work's uid as their parent event. Without ROADS, it follows the footprint's centreline.</source>
            <translation>Scrive i cantieri che incidono sul traffico come flusso di chiusure ed eventi di Waze (CIFS): XML conforme allo schema CIFS 2.0 se OUTPUT termina con .xml, la forma JSON di Waze se termina con .json.
Un cantiere che chiude tutte le corsie è un evento ROAD_CLOSED; uno che chiude alcune corsie o istituisce il senso unico alternato è un pericolo per corsia chiusa; uno di impatto sconosciuto è un evento CONSTRUCTION. Ogni evento ha come id l'uid del cantiere, la sua via, la sua linea come coppie "lat lon", se interessa uno o entrambi i sensi di marcia, il primo e l'ultimo giorno nell'ora di Roma, l'orario giornaliero e come fonte il suo ente. I cantieri con traffic_impact all-lanes-open e quelli completati o annullati vengono esclusi e contati (SKIPPED_COUNT).
Con ROADS, un evento segue le strade che l'area di cantiere chiude (come le chiude l'analisi delle deviazioni), con i loro nomi; un cantiere su tratti separati diventa un evento per tratto, con l'uid del cantiere come evento padre. Senza ROADS, segue la linea mediana dell'area di cantiere.</translation>
        </message>
        <message>
            <source>Export works affecting traffic as WZDx</source>
            <translation>Esporta in WZDx i cantieri che incidono sul traffico</translation>
        </message>
        <message>
            <source>Writes the works that affect traffic as a WZDx 4.2 work zone feed (GeoJSON), the open format of the Work Zone Data Exchange that navigation services and other cities read.
Each work is a work-zone road event whose id is the work's uid (a new export keeps the ids), with its title, description, organisation (one data source per organisation), first and last day in Rome time, vehicle_impact from traffic_impact and type of work. Works whose traffic_impact is all-lanes-open, and completed or cancelled works, are left out and counted (SKIPPED_COUNT).
With ROADS, a road event follows the roads the work's footprint closes (as the detour analysis closes them), with their names and, where OSM gives them, their lanes; a work on separate stretches is one road event per stretch, linked in sequence. Without ROADS, it follows the footprint's centreline.
Import a feed of works (kind 4, WZDx) reads the file back into the same works.</source>
            <translation>Scrive i cantieri che incidono sul traffico come flusso WZDx 4.2 di zone di lavoro (GeoJSON), il formato aperto del Work Zone Data Exchange letto dai servizi di navigazione e da altre città.
Ogni cantiere è un evento stradale work-zone che ha come id l'uid del cantiere (una nuova esportazione mantiene gli id), con titolo, descrizione, ente (una fonte di dati per ente), primo e ultimo giorno nell'ora di Roma, vehicle_impact ricavato da traffic_impact e tipo di lavoro. I cantieri con traffic_impact all-lanes-open e quelli completati o annullati vengono esclusi e contati (SKIPPED_COUNT).
Con ROADS, un evento stradale segue le strade che l'area di cantiere chiude (come le chiude l'analisi delle deviazioni), con i loro nomi e, dove OSM le indica, le loro corsie; un cantiere su tratti separati diventa un evento stradale per tratto, collegati in sequenza. Senza ROADS, segue la linea mediana dell'area di cantiere.
Importa una fonte di cantieri (tipo 4, WZDx) rilegge il file ritrovando gli stessi cantieri.</translation>
        </message>
        <message>
            <source>Coordination report</source>
            <translation>Rapporto di coordinamento</translation>
        </message>
        <message>
            <source>The coordination report of the works on the street from START_DATE to END_DATE (inclusive), built on a QGIS print layout: the map of the works by organisation and of the CONFLICTS (the layer Detect conflicts writes, with the room's decisions) with its legend and scale bar, the summary per organisation, the works, the conflicts (kind, works, organisations, dates, severity, decision), the detours and the streets cut off, the bus routes affected and the day-by-day impact chart.
FORMAT pdf gives a multi-page PDF; html one self-contained HTML file (the map as an image). Next to OUTPUT, a CSV of every table (for report.pdf: report_conflicts.csv, report_detours.csv…)
The detours come from DETOURS (a layer of Detour analysis) or, with ROADS, from the detour engine for every run of days with the same closures, with the streets cut off and (with GTFS) the bus routes; without ROADS the chart counts, day by day, the works on the street, the road closures and the conflicts in force.
The report follows QGIS's language (Italian or English) and writes dates as the language does.</source>
            <translation>Il rapporto di coordinamento dei cantieri su strada da START_DATE a END_DATE (compresi), costruito su un layout di stampa di QGIS: la mappa dei cantieri per ente e dei CONFLICTS (il layer scritto da Trova i conflitti, con le decisioni della sala) con legenda e barra di scala, il riepilogo per ente, i cantieri, i conflitti (tipo, cantieri, enti, date, gravità, decisione), le deviazioni e le strade isolate, le linee bus interessate e il grafico dell'impatto giorno per giorno.
FORMAT pdf produce un PDF di più pagine; html un unico file HTML autosufficiente (la mappa come immagine). Accanto a OUTPUT, un CSV per ogni tabella (per rapporto.pdf: rapporto_conflicts.csv, rapporto_detours.csv…)
Le deviazioni vengono da DETOURS (un layer dell'Analisi delle deviazioni) oppure, con ROADS, dal motore delle deviazioni per ogni serie di giorni con le stesse chiusure, insieme alle strade isolate e (con GTFS) alle linee bus; senza ROADS il grafico conta, giorno per giorno, i cantieri su strada, le chiusure di strade e i conflitti in essere.
Il rapporto segue la lingua di QGIS (italiano o inglese) e scrive le date come si usa in quella lingua.</translation>
        </message>
        <message>
            <source>Site sheet of a work</source>
            <translation>Scheda di cantiere</translation>
        </message>
        <message>
            <source>One A4 page (PDF) for the site plan of the work WORK_UID of WORKS, built on a QGIS print layout: the map zoomed on the work with the works around it (and the ROADS when given), every field of the work, its conflicts with the other works of WORKS (found as Detect conflicts finds them), and with ROADS its detours and the streets it cuts off on its first day on the street (with every closure of that day) and, with GTFS, the bus lines its closure makes reroute.
Next to OUTPUT, a CSV of every table of the sheet.</source>
            <translation>Una pagina A4 (PDF) per il piano di cantiere del cantiere WORK_UID di WORKS, costruita su un layout di stampa di QGIS: la mappa centrata sul cantiere con i cantieri vicini (e le ROADS se indicate), tutti i campi del cantiere, i suoi conflitti con gli altri cantieri di WORKS (trovati come li trova Trova i conflitti) e, con ROADS, le sue deviazioni e le strade che isola nel primo giorno su strada (con tutte le chiusure di quel giorno) e, con GTFS, le linee bus che la sua chiusura costringe a deviare.
Accanto a OUTPUT, un CSV per ogni tabella della scheda.</translation>
        </message>
        <message>
            <source>Sync with the platform</source>
            <translation>Sincronizza con la piattaforma</translation>
        </message>
        <message>
            <source>Sends the works created, changed and deleted in the project store (the outbox) to the platform named by SOURCE, a source of the project with "writable": true (a WFS-T of QGIS Server), and takes the works the other organisations changed there since the last sync.
DIRECTION: push only sends, pull only takes, both does the two. A change whose answer is unclear (a timeout, a server error) is settled by reading the work back, so it is never applied twice. A change the server refuses stays in the outbox with the server's message. A work changed here and there is merged field by field; the same field changed on both sides is a conflict, kept until someone chooses (keep mine, keep theirs or a value) in the Sync tab.
The outputs count the changes sent, the works received, the clean merges, the conflicts, the changes refused and those that failed (sent again next time); REPORT lists each one's record and message.</source>
            <translation>Invia alla piattaforma indicata da SOURCE, una fonte del progetto con "writable": true (un WFS-T di QGIS Server), i cantieri creati, modificati ed eliminati nell'archivio del progetto (la coda di invio), e riceve i cantieri che gli altri enti vi hanno modificato dall'ultima sincronizzazione.
DIRECTION: invia si limita a inviare, ricevi si limita a ricevere, entrambe fa le due cose. Una modifica la cui risposta non è chiara (un tempo scaduto, un errore del server) viene verificata rileggendo il cantiere, così non viene mai applicata due volte. Una modifica rifiutata dal server resta nella coda di invio con il messaggio del server. Un cantiere modificato sia qui sia sulla piattaforma viene unito campo per campo; lo stesso campo modificato dalle due parti è un conflitto, conservato finché qualcuno non sceglie (tieni la mia versione, tieni la loro o indica un valore) nella scheda Sincronizzazione.
I risultati contano le modifiche inviate, i cantieri ricevuti, le unioni riuscite, i conflitti, le modifiche rifiutate e quelle non riuscite (reinviate la volta successiva); REPORT elenca per ciascuna il record e il messaggio.</translation>
        </message>
        <message>
            <source>Publish the results to the platform</source>
            <translation>Pubblica i risultati sulla piattaforma</translation>
        </message>
        <message>
            <source>Publishes the Comune's latest results on the platform named by SOURCE (a source of the project with "writable": true), where every organisation reads them: the CONFLICTS layer made by Detect conflicts and the DETOURS made by Detour analysis of a day. Give at least one of the two.
A result new on the platform is inserted, one whose fields changed is updated (with its geometry), one no longer in the layer is withdrawn (marked deleted, never erased); publishing the same results again changes nothing. A detour is named by its work, its DATE and its rank among that work's detours.
Only the Comune may publish: the platform refuses another organisation's rows, and REPORT lists each refused row with the platform's message. The outputs count the rows inserted, updated, unchanged, withdrawn and refused, for the conflicts, for the detours and in total.</source>
            <translation>Pubblica sulla piattaforma indicata da SOURCE (una fonte del progetto con "writable": true) gli ultimi risultati del Comune, che tutti gli enti possono consultare: il layer CONFLICTS prodotto da Trova i conflitti e il layer DETOURS prodotto da Analisi delle deviazioni di un giorno. Indicarne almeno uno.
Un risultato nuovo sulla piattaforma viene inserito, uno con campi cambiati viene aggiornato (insieme alla geometria), uno non più presente nel layer viene ritirato (segnato come eliminato, mai cancellato); pubblicare di nuovo gli stessi risultati non cambia nulla. Una deviazione è identificata dal suo cantiere, dalla data DATE e dalla sua posizione tra le deviazioni di quel cantiere.
Solo il Comune può pubblicare: la piattaforma rifiuta le righe di un altro ente e REPORT elenca ogni riga rifiutata con il messaggio della piattaforma. Gli output contano le righe inserite, aggiornate, invariate, ritirate e rifiutate, per i conflitti, per le deviazioni e in totale.</translation>
        </message>
    </context>
    <context>
        <name>Conflicts</name>
        <message>
            <source>No clash with other works.</source>
            <translation>Nessuna interferenza con altri cantieri.</translation>
        </message>
        <message>
            <source>Clashes with 1 work: {works}.</source>
            <translation>Interferisce con 1 cantiere: {works}.</translation>
        </message>
        <message>
            <source>Clashes with {count} works: {works}.</source>
            <translation>Interferisce con {count} cantieri: {works}.</translation>
        </message>
        <message>
            <source>«{title}» ({owner}, {days} days together)</source>
            <translation>«{title}» ({owner}, {days} giorni in comune)</translation>
        </message>
        <message>
            <source>and {count} more</source>
            <translation>e altri {count}</translation>
        </message>
        <message>
            <source>The planned start.</source>
            <translation>L'inizio previsto.</translation>
        </message>
        <message>
            <source>{days} days after the planned start.</source>
            <translation>{days} giorni dopo l'inizio previsto.</translation>
        </message>
        <message>
            <source>{days} days before the planned start.</source>
            <translation>{days} giorni prima dell'inizio previsto.</translation>
        </message>
        <message>
            <source>No work with uid {uid} in the works layer.</source>
            <translation>Nessun cantiere con uid {uid} nel layer dei cantieri.</translation>
        </message>
        <message>
            <source>The work {uid} has no footprint.</source>
            <translation>Il cantiere {uid} non ha un'area di cantiere.</translation>
        </message>
        <message>
            <source>The work {uid} has no window to move in (earliest_start and latest_end are empty): only its planned dates are assessed.</source>
            <translation>Il cantiere {uid} non ha una finestra in cui spostarsi (earliest_start e latest_end sono vuoti): si valutano solo le date previste.</translation>
        </message>
        <message>
            <source>Closed at the same time as {works}.</source>
            <translation>Chiusura in contemporanea con {works}.</translation>
        </message>
        <message>
            <source>«{title}» ({owner}, {days} days): no detour left</source>
            <translation>«{title}» ({owner}, {days} giorni): nessuna deviazione possibile</translation>
        </message>
        <message>
            <source>«{title}» ({owner}, {days} days): detours take {seconds} s longer than apart</source>
            <translation>«{title}» ({owner}, {days} giorni): le deviazioni richiedono {seconds} s in più che separatamente</translation>
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
            <source>The document is not valid JSON: {value}.</source>
            <translation>Il documento non è JSON valido: {value}.</translation>
        </message>
        <message>
            <source>The document ends too early ({value}, after {size} characters): the download was cut off.</source>
            <translation>Il documento termina troppo presto ({value}, dopo {size} caratteri): lo scaricamento si è interrotto.</translation>
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
            <source>{url} cannot be reached: {value} (tried {attempts} times).</source>
            <translation>{url} non è raggiungibile: {value} (tentativi: {attempts}).</translation>
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
        <message>
            <source>Reading the source failed ({value}); its previous copy is kept, the other sources are read.</source>
            <translation>La lettura della fonte non è riuscita ({value}); si mantiene la copia precedente, le altre fonti vengono lette.</translation>
        </message>
        <message>
            <source>The protected streets layer {layer} has no protected_until field (the date until which the street may not be dug).</source>
            <translation>Il layer dei tratti protetti {layer} non ha il campo protected_until (la data fino alla quale la strada non può essere manomessa).</translation>
        </message>
        <message>
            <source>The road layer has no valid coordinate reference system.</source>
            <translation>Il layer delle strade non ha un sistema di riferimento valido.</translation>
        </message>
        <message>
            <source>The road layer has no drivable lines.</source>
            <translation>Il layer stradale non contiene strade percorribili dai veicoli.</translation>
        </message>
        <message>
            <source>{path} is not a GTFS zip ({value}).</source>
            <translation>{path} non è uno zip GTFS ({value}).</translation>
        </message>
        <message>
            <source>{path}: the GTFS table {value} is missing.</source>
            <translation>{path}: manca la tabella GTFS {value}.</translation>
        </message>
        <message>
            <source>{path}: a GTFS table cannot be read ({value}).</source>
            <translation>{path}: una tabella GTFS non è leggibile ({value}).</translation>
        </message>
        <message>
            <source>{path}: neither calendar.txt nor calendar_dates.txt says when buses run.</source>
            <translation>{path}: né calendar.txt né calendar_dates.txt dicono quando passano gli autobus.</translation>
        </message>
        <message>
            <source>There is no project store here.</source>
            <translation>Qui non c'è un archivio del progetto.</translation>
        </message>
        <message>
            <source>This file is not a Situation Room project store ({value}).</source>
            <translation>Questo file non è un archivio di progetto di Situation Room ({value}).</translation>
        </message>
        <message>
            <source>The store was written by a newer Situation Room (schema changes {value} are unknown to this version): update the plugin.</source>
            <translation>L'archivio è stato scritto da una versione più recente di Situation Room (le modifiche dello schema {value} sono sconosciute a questa versione): aggiorna il plugin.</translation>
        </message>
        <message>
            <source>The store is from an older version of Situation Room (it lacks {value}): this cannot be read until it is upgraded, which happens the first time this version writes to it.</source>
            <translation>L'archivio è di una versione precedente di Situation Room (gli manca {value}): questo dato non si può leggere finché non viene aggiornato, cosa che avviene la prima volta che questa versione vi scrive.</translation>
        </message>
        <message>
            <source>Another QGIS or another process is writing to the store (still busy after {seconds} s): try again when it has finished.</source>
            <translation>Un altro QGIS o un altro processo sta scrivendo nell'archivio (ancora occupato dopo {seconds} s): riprova quando ha finito.</translation>
        </message>
        <message>
            <source>The store cannot be read or written: {value}.</source>
            <translation>L'archivio non si può leggere né scrivere: {value}.</translation>
        </message>
        <message>
            <source>Field '{field}' has {value}, a whole number too large to store (at most {limit}): the record is not written.</source>
            <translation>Il campo '{field}' contiene {value}, un numero intero troppo grande per l'archivio (al massimo {limit}): il record non viene scritto.</translation>
        </message>
        <message>
            <source>Field '{field}' has '{value}', text that is not valid Unicode (character {position} is a lone surrogate): the record is not written.</source>
            <translation>Il campo '{field}' contiene '{value}', un testo Unicode non valido (il carattere {position} è un surrogato isolato): il record non viene scritto.</translation>
        </message>
        <message>
            <source>{path}: no such file.</source>
            <translation>{path}: file inesistente.</translation>
        </message>
        <message>
            <source>{path}: no OpenStreetMap '{layer}' layer (is it an .osm.pbf or .osm file?)</source>
            <translation>{path}: nessun layer OpenStreetMap '{layer}' (è un file .osm.pbf o .osm?)</translation>
        </message>
        <message>
            <source>Field '{field}' has '{value}', which is not a moment of the years 1 to 9999 in UTC.</source>
            <translation>Il campo '{field}' contiene '{value}', che non è un istante degli anni da 1 a 9999 in UTC.</translation>
        </message>
        <message>
            <source>The footprint lies at {value}, outside the project's area (the area of use of {crs}, Italy).</source>
            <translation>L'area di cantiere si trova in {value}, fuori dall'area del progetto (l'area d'uso di {crs}, l'Italia).</translation>
        </message>
        <message>
            <source>The footprint lies at {value}, outside the project's area ({crs}, Italy), but it would be inside with its two coordinates swapped: are latitude and longitude (or x and y) swapped in the source?</source>
            <translation>L'area di cantiere si trova in {value}, fuori dall'area del progetto ({crs}, Italia), ma vi rientrerebbe scambiando le sue due coordinate: latitudine e longitudine (o x e y) sono scambiate nella fonte?</translation>
        </message>
        <message>
            <source>The footprint lies at {value}, which looks like longitude and latitude in degrees, not {crs} metres: is the layer's CRS wrong?</source>
            <translation>L'area di cantiere si trova in {value}, che sembrano gradi di longitudine e latitudine, non metri {crs}: il sistema di riferimento del layer è sbagliato?</translation>
        </message>
        <message>
            <source>The line has all its points at one place: it is read as a point location.</source>
            <translation>La linea ha tutti i suoi punti nello stesso luogo: è letta come una posizione puntuale.</translation>
        </message>
        <message>
            <source>The document cannot be read as text: {value}.</source>
            <translation>Il documento non può essere letto come testo: {value}.</translation>
        </message>
        <message>
            <source>The document is not UTF-8 text (byte {byte} at offset {offset}), nor Windows-1252: ask for it in UTF-8.</source>
            <translation>Il documento non è testo UTF-8 (byte {byte} alla posizione {offset}), né Windows-1252: richiedilo in UTF-8.</translation>
        </message>
        <message>
            <source>The document is not UTF-8 text (byte {byte} at offset {offset}): it was read as Windows-1252 (Western European). If accented letters look wrong, ask for it in UTF-8.</source>
            <translation>Il documento non è testo UTF-8 (byte {byte} alla posizione {offset}): è stato letto come Windows-1252 (Europa occidentale). Se le lettere accentate appaiono sbagliate, richiedilo in UTF-8.</translation>
        </message>
        <message>
            <source>The document is XML (root element &lt;{value}&gt;: a WFS/GML answer, or an error page?), not GeoJSON.</source>
            <translation>Il documento è XML (elemento radice &lt;{value}&gt;: una risposta WFS/GML, o una pagina di errore?), non GeoJSON.</translation>
        </message>
        <message>
            <source>Field '{field}' had {count} NUL characters, removed (the text after them is kept).</source>
            <translation>Il campo '{field}' conteneva {count} caratteri NUL, rimossi (il testo che li segue è conservato).</translation>
        </message>
        <message>
            <source>'{field}' has '{value}', which is not a number.</source>
            <translation>'{field}' contiene '{value}', che non è un numero.</translation>
        </message>
        <message>
            <source>'{field}' has {value}: it must be more than 0.</source>
            <translation>'{field}' contiene {value}: deve essere maggiore di 0.</translation>
        </message>
        <message>
            <source>No answer from {url} within {seconds} s, QGIS's own network timeout (Settings &gt; Options &gt; Network; tried {attempts} times).</source>
            <translation>Nessuna risposta da {url} entro {seconds} s, il timeout di rete di QGIS (Impostazioni &gt; Opzioni &gt; Rete; tentativi: {attempts}).</translation>
        </message>
        <message>
            <source>{url} was silent for {seconds} s (no byte received; tried {attempts} times). If the server is only slow, raise the source's timeout_s (import_feed: IDLE_TIMEOUT).</source>
            <translation>{url} non ha inviato nulla per {seconds} s (nessun byte ricevuto; tentativi: {attempts}). Se il server è solo lento, alza il timeout_s della fonte (import_feed: IDLE_TIMEOUT).</translation>
        </message>
        <message>
            <source>{url} did not finish its answer within the overall limit of {seconds} s ({received} bytes received): refused. If the source is right, raise its total_timeout_s (import_feed: TOTAL_TIMEOUT).</source>
            <translation>{url} non ha completato la risposta entro il limite complessivo di {seconds} s ({received} byte ricevuti): rifiutato. Se la fonte è corretta, alza il suo total_timeout_s (import_feed: TOTAL_TIMEOUT).</translation>
        </message>
        <message>
            <source>{url} sends more than {limit} MB: refused. If the source is right, raise its size limit (the source's max_mb; import_feed: MAX_MB).</source>
            <translation>{url} invia più di {limit} MB: rifiutato. Se la fonte è corretta, alza il suo limite di dimensione (max_mb della fonte; import_feed: MAX_MB).</translation>
        </message>
        <message>
            <source>The file {value} is {size} MB, more than the limit of {limit} MB: refused. If the file is right, raise its size limit (the source's max_mb; import_feed: MAX_MB).</source>
            <translation>Il file {value} è di {size} MB, più del limite di {limit} MB: rifiutato. Se il file è corretto, alza il suo limite di dimensione (max_mb della fonte; import_feed: MAX_MB).</translation>
        </message>
        <message>
            <source>The footprint has {value} vertices, more than the {limit} a work's footprint may have (setting {setting}): it is refused (simplify it in the source, or raise the limit).</source>
            <translation>L'area di cantiere ha {value} vertici, più dei {limit} ammessi per un'area di cantiere (impostazione {setting}): è rifiutata (semplificala nella fonte, o alza il limite).</translation>
        </message>
        <message>
            <source>The footprint has {value} parts, more than the {limit} a work's footprint may have (setting {setting}): it is refused (split it into works in the source, or raise the limit).</source>
            <translation>L'area di cantiere ha {value} parti, più delle {limit} ammesse per un'area di cantiere (impostazione {setting}): è rifiutata (dividila in più cantieri nella fonte, o alza il limite).</translation>
        </message>
        <message>
            <source>The footprint is invalid ({value}) and its outline crosses itself more than {limit} times (setting {setting}): too complex to repair here, it is refused (correct it in the source, or raise the limit).</source>
            <translation>L'area di cantiere non è valida ({value}) e il suo contorno si interseca più di {limit} volte (impostazione {setting}): è troppo complessa da riparare qui ed è rifiutata (correggila nella fonte, o alza il limite).</translation>
        </message>
        <message>
            <source>The line crosses itself more than {limit} times (setting {setting}): too complex to make a footprint of, it is refused (correct it in the source, or raise the limit).</source>
            <translation>La linea si interseca più di {limit} volte (impostazione {setting}): è troppo complessa per ricavarne un'area di cantiere ed è rifiutata (correggila nella fonte, o alza il limite).</translation>
        </message>
        <message>
            <source>{count} records had no uid: each was given one derived from the layer and its feature id, the same at every run.</source>
            <translation>{count} record non avevano un uid: a ciascuno ne è stato dato uno derivato dal layer e dall'id dell'elemento, lo stesso a ogni esecuzione.</translation>
        </message>
        <message>
            <source>The outbox cannot do '{value}' with an operation in state {state}.</source>
            <translation>La coda di invio non può eseguire '{value}' su un'operazione nello stato {state}.</translation>
        </message>
        <message>
            <source>The work was deleted here and is waiting to be sent: it cannot be changed ({value}).</source>
            <translation>Il cantiere è stato eliminato qui ed è in attesa di invio: non si può modificare ({value}).</translation>
        </message>
        <message>
            <source>The work is already waiting to be created on the server.</source>
            <translation>Il cantiere è già in attesa di essere creato sul server.</translation>
        </message>
        <message>
            <source>The change {value} needs the server's copy of the work, and there is none here.</source>
            <translation>La modifica {value} richiede la copia del cantiere presente sul server, e qui non c'è.</translation>
        </message>
        <message>
            <source>The conflict on '{field}' has no choice yet (keep mine, keep theirs or a value).</source>
            <translation>Per il conflitto su '{field}' non è stata ancora fatta una scelta (tieni la mia versione, tieni la loro o indica un valore).</translation>
        </message>
        <message>
            <source>The work has a conflict with the server's copy to resolve first (keep mine, keep theirs or a value).</source>
            <translation>Il cantiere ha un conflitto con la copia del server da risolvere prima (tieni la mia versione, tieni la loro o indica un valore).</translation>
        </message>
        <message>
            <source>The server's copy of the work cannot be read: {value}.</source>
            <translation>La copia del cantiere presente sul server non è leggibile: {value}.</translation>
        </message>
        <message>
            <source>The server refused the change, which stays in the outbox: {value}</source>
            <translation>Il server ha rifiutato la modifica, che resta nella coda di invio: {value}</translation>
        </message>
        <message>
            <source>The change did not reach the server ({value}): it will be sent again at the next sync.</source>
            <translation>La modifica non è arrivata al server ({value}): sarà inviata di nuovo alla prossima sincronizzazione.</translation>
        </message>
        <message>
            <source>The work was changed both here and on the server ({value}): resolve the conflict (keep mine, keep theirs or a value).</source>
            <translation>Il cantiere è stato modificato sia qui sia sul server ({value}): risolvere il conflitto (tieni la mia versione, tieni la loro o indica un valore).</translation>
        </message>
        <message>
            <source>The source is not a platform the Situation Room writes to: it must be a WFS or OGC API Features source with role works and "writable": true.</source>
            <translation>La fonte non è una piattaforma su cui la Situation Room scrive: deve essere una fonte WFS o OGC API Features con ruolo works e "writable": true.</translation>
        </message>
        <message>
            <source>The work cannot be sent until it is corrected: {value}</source>
            <translation>Il cantiere non può essere inviato finché non viene corretto: {value}</translation>
        </message>
    </context>
    <context>
        <name>Sync</name>
        <message>
            <source>The change is on the server (revision {revision}).</source>
            <translation>La modifica è sul server (revisione {revision}).</translation>
        </message>
        <message>
            <source>The change is on the server (revision {revision}), but the server did not keep {fields}: does its layer have these fields?</source>
            <translation>La modifica è sul server (revisione {revision}), ma il server non ha conservato {fields}: il suo layer ha questi campi?</translation>
        </message>
        <message>
            <source>The new work is on the server, and was changed there since (revision {revision}).</source>
            <translation>Il nuovo cantiere è sul server, dove nel frattempo è stato modificato (revisione {revision}).</translation>
        </message>
        <message>
            <source>The work was already deleted on the server.</source>
            <translation>Il cantiere era già stato eliminato sul server.</translation>
        </message>
        <message>
            <source>The change did not reach the server ({answer}): it will be sent again.</source>
            <translation>La modifica non è arrivata al server ({answer}): sarà inviata di nuovo.</translation>
        </message>
        <message>
            <source>The server refused the change: {answer}</source>
            <translation>Il server ha rifiutato la modifica: {answer}</translation>
        </message>
        <message>
            <source>The work was changed on the server (revision {revision}) after the copy this change was made on (revision {base}): the two must be merged.</source>
            <translation>Il cantiere è stato modificato sul server (revisione {revision}) dopo la copia su cui è stata fatta questa modifica (revisione {base}): le due versioni vanno unite.</translation>
        </message>
        <message>
            <source>The work was deleted on the server after the copy this change was made on (revision {base}).</source>
            <translation>Il cantiere è stato eliminato sul server dopo la copia su cui è stata fatta questa modifica (revisione {base}).</translation>
        </message>
        <message>
            <source>The work is not on the server, so the change cannot be made there.</source>
            <translation>Il cantiere non è sul server, quindi lì la modifica non si può applicare.</translation>
        </message>
        <message>
            <source>no answer</source>
            <translation>nessuna risposta</translation>
        </message>
    </context>
</TS>
