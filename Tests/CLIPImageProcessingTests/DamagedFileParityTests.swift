import CLIPImageProcessing
import Foundation
import Testing

/// Damaged files decode where Pillow 13 decodes them, to the same pixels, and are refused where Pillow
/// refuses them (issue 19, item 19). The files and Pillow's verdicts come from
/// Scripts/reference/make_damaged_goldens.py: truncations, broken checksums, missing or extra end
/// markers, wrong container sizes and seeded byte changes of PNG, GIF, WebP and JPEG goldens.
@Suite struct DamagedFileParityTests {
    struct Manifest: Decodable {
        struct Case: Decodable, CustomTestStringConvertible, Sendable {
            let file: String
            let pillow: String
            let width: Int?
            let height: Int?
            let fnv1a64: String?
            let reason: String?
            var testDescription: String { file }
        }
        let pillow: String
        let cases: [Case]
    }

    static let manifest: Manifest? = {
        guard let data = try? Data(contentsOf: GoldenFixtures.url("damaged.json")) else { return nil }
        return try? JSONDecoder().decode(Manifest.self, from: data)
    }()

    /// Where we knowingly differ from Pillow, and why following it would be unsafe or wrong. Empty
    /// means every verdict is Pillow's.
    static let deliberateDifferences: [String: String] = [:]

    static func fnv1a64(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(format: "%016llx", hash)
    }

    @Test func theManifestIsPresent() throws {
        let manifest = try #require(Self.manifest, "Fixtures/images/damaged.json is missing: run Scripts/reference/make_damaged_goldens.py")
        #expect(manifest.pillow == "13.0.0" && manifest.cases.count > 200)
    }

    @Test("Pillow's verdict on each damaged file", arguments: manifest?.cases ?? [])
    func sameVerdictAsPillow(_ entry: Manifest.Case) throws {
        guard Self.deliberateDifferences[entry.file] == nil else { return }
        let decoder = ImageDecoder(options: ImageDecodingOptions(alphaHandling: .drop))
        let outcome = Result { try decoder.decode(fileAt: GoldenFixtures.url(entry.file)) }
        switch (entry.pillow, outcome) {
        case ("decodes", .success(let image)):
            #expect(image.width == entry.width && image.height == entry.height, "size \(image.width) x \(image.height)")
            #expect(Self.fnv1a64(image.pixels) == entry.fnv1a64, "pixels differ from Pillow's")
        case ("decodes", .failure(let error)):
            Issue.record("Pillow decodes it, we refuse: \(error)")
        case (_, .success(let image)):
            Issue.record("Pillow refuses it (\(entry.reason ?? "")), we decode \(image.width) x \(image.height)")
        case (_, .failure(let error)):
            #expect(error is ImageProcessingError, "\(error)")
        }
    }
}
