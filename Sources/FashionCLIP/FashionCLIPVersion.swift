/// The package's version: what `fashionclip --version` prints and `GET /api/info` reports.
///
/// One constant for every front door, so a bug report names the build it came from. Raised with
/// each release (semantic versioning: the public API of the products and the CLI's options and
/// exit statuses are what it versions).
public enum FashionCLIPVersion {
    /// `MAJOR.MINOR.PATCH`; no release has been tagged yet, so the first one.
    public static let current = "0.1.0"
}
