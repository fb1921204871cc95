import CLIPImageProcessing
import Foundation
import Testing

/// The goldens written by Scripts/reference/make_image_goldens.py into Fixtures/images.
enum GoldenFixtures {
    static let expectedVersion = 1

    struct Manifest: Decodable {
        struct Case: Decodable, CustomTestStringConvertible, Sendable {
            let name: String
            let input: String
            let config: String
            let alpha: String
            let exif_orientation: Bool
            let pillow_mode: String
            let resized: String
            let pixel_values: String?
            var testDescription: String { name }
        }
        struct Broken: Decodable, CustomTestStringConvertible, Sendable {
            let input: String
            let error: String
            var testDescription: String { input }
        }
        let fixture_version: Int
        let cases: [Case]
        let broken: [Broken]
    }

    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/images")

    static func url(_ relative: String) -> URL { directory.appendingPathComponent(relative) }

    /// nil when the fixtures are missing or unreadable (the version test then fails with a hint).
    static let manifest: Manifest? = {
        guard let data = try? Data(contentsOf: url("manifest.json")) else { return nil }
        return try? JSONDecoder().decode(Manifest.self, from: data)
    }()

    static var cases: [Manifest.Case] { manifest?.cases ?? [] }
    static var broken: [Manifest.Broken] { manifest?.broken ?? [] }
}

/// A minimal `.npy` reader for the goldens (version 1.0, C order, `|u1` or `<f4`).
struct NPYArray {
    let descr: String
    let shape: [Int]
    let body: Data

    init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url)
        guard data.count > 10, data.prefix(6) == Data([0x93]) + Data("NUMPY".utf8) else {
            throw NPYError.malformed("\(url.lastPathComponent): no NPY magic")
        }
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        let header = String(decoding: data[10..<10 + headerLength], as: UTF8.self)
        func field(_ key: String) -> String? {
            guard let range = header.range(of: "'\(key)': ") else { return nil }
            return String(header[range.upperBound...])
        }
        guard let descrText = field("descr"), let shapeText = field("shape") else {
            throw NPYError.malformed("\(url.lastPathComponent): header \(header)")
        }
        descr = String(descrText.dropFirst().prefix { $0 != "'" })
        let inside = shapeText.dropFirst().prefix { $0 != ")" }
        shape = inside.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        body = data.subdata(in: (10 + headerLength)..<data.count)
    }

    var uint8: [UInt8] { [UInt8](body) }

    var float32: [Float] {
        precondition(descr == "<f4")
        return body.withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
    }
}

enum NPYError: Error { case malformed(String) }
