"""What the app needs beyond the library's API: engine comparison, uploads, drawings and diffs."""
