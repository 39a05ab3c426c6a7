"""The client side of synchronisation, as pure logic: the outbox of local changes, the three-way merge, the
WFS-T and OGC API Features messages that push them, and the settling of unclear answers by reading back."""
