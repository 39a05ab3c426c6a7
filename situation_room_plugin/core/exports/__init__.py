"""Open exports of the works that affect traffic: a WZDx 4.2 work zone feed (`wzdx`) and a Waze CIFS feed of
closures (`cifs`), both built from the same located works (`common`)."""
