// Module FashionCLIP: see ../shared/design/ARCHITECTURE.md for what it owns.
