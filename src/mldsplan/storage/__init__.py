"""Storage: the progress and programme files on disk, their formats, validation, the
validated-content cache and the locked, atomic store. Imports the domain only."""
