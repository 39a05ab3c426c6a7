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
    </context>
</TS>
