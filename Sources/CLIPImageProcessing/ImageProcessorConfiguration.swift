import Foundation

/// The settings of `preprocessor_config.json`, read the way transformers 5.23's
/// `CLIPImageProcessorPil` reads them (missing keys take its class defaults).
public struct ImageProcessorConfiguration: Sendable, Equatable {
    /// How the image is resized before the crop.
    public enum Resize: Sendable, Equatable {
        /// Shortest edge to this many pixels, long edge `int(size * long / short)` (legacy `size: 224`
        /// or `{"shortest_edge": 224}`).
        case shortestEdge(Int)
        /// Exactly `height × width` (`{"height": h, "width": w}`).
        case exact(height: Int, width: Int)
    }

    /// `do_resize` and `size`; nil when `do_resize` is false.
    public var resize: Resize?
    /// `resample` (Pillow's filter number; default 3, bicubic).
    public var filter: ResamplingFilter
    /// `do_center_crop` and `crop_size` as (height, width); nil when `do_center_crop` is false.
    public var cropSize: (height: Int, width: Int)? {
        get { crop.map { ($0[0], $0[1]) } }
        set { crop = newValue.map { [$0.height, $0.width] } }
    }
    private var crop: [Int]?
    /// `do_rescale` and `rescale_factor` (default 1/255); nil when `do_rescale` is false.
    public var rescaleFactor: Double?
    /// `image_mean` per channel; used when `normalizes` is true.
    public var imageMean: [Double]
    /// `image_std` per channel.
    public var imageStd: [Double]
    /// `do_normalize`.
    public var normalizes: Bool

    /// OpenAI CLIP's values (transformers' `OPENAI_CLIP_MEAN` / `OPENAI_CLIP_STD`).
    public static let openAIMean = [0.48145466, 0.4578275, 0.40821073]
    public static let openAIStd = [0.26862954, 0.26130258, 0.27577711]

    /// `CLIPImageProcessorPil`'s defaults: shortest edge 224, bicubic, crop 224 × 224, ÷255, OpenAI stats.
    public init(
        resize: Resize? = .shortestEdge(224), filter: ResamplingFilter = .bicubic,
        cropSize: (height: Int, width: Int)? = (224, 224), rescaleFactor: Double? = 1.0 / 255.0,
        imageMean: [Double] = openAIMean, imageStd: [Double] = openAIStd, normalizes: Bool = true
    ) {
        self.resize = resize
        self.filter = filter
        self.crop = cropSize.map { [$0.height, $0.width] }
        self.rescaleFactor = rescaleFactor
        self.imageMean = imageMean
        self.imageStd = imageStd
        self.normalizes = normalizes
    }

    /// Reads `preprocessor_config.json` at `url`.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ImageProcessingError.invalidConfiguration(
                source: url.path, detail: "cannot read it (\(error.localizedDescription)); pass the model folder that holds it")
        }
        try self.init(json: data, source: url.path)
    }

    /// Parses the JSON text of a `preprocessor_config.json`; `source` names it in errors.
    public init(json data: Data, source: String = "preprocessor_config.json") throws {
        func fail(_ detail: String) -> ImageProcessingError {
            .invalidConfiguration(source: source, detail: detail)
        }
        guard let object = try? JSONSerialization.jsonObject(with: data), let json = object as? [String: Any] else {
            throw fail("expected a JSON object")
        }
        self.init()
        func flag(_ key: String, default value: Bool) throws -> Bool {
            guard let raw = json[key], !(raw is NSNull) else { return value }
            guard let bool = raw as? Bool else { throw fail("expected true or false for \"\(key)\", found \(raw)") }
            return bool
        }
        func numbers(_ key: String, _ value: [Double]) throws -> [Double] {
            guard let raw = json[key], !(raw is NSNull) else { return value }
            if let list = raw as? [NSNumber], list.count == 3 { return list.map(\.doubleValue) }
            if let one = raw as? NSNumber { return [Double](repeating: one.doubleValue, count: 3) }
            throw fail("expected 3 numbers for \"\(key)\", found \(raw)")
        }
        if try flag("do_resize", default: true) {
            if let raw = json["size"], !(raw is NSNull) {
                resize = try Self.parseResize(raw, fail: fail)
            }
        } else {
            resize = nil
        }
        if let raw = json["resample"], !(raw is NSNull) {
            guard let number = raw as? Int, let filter = ResamplingFilter(pillowValue: number) else {
                throw fail("\"resample\" is \(raw); supported are 2 (bilinear) and 3 (bicubic)")
            }
            self.filter = filter
        }
        if try flag("do_center_crop", default: true) {
            if let raw = json["crop_size"], !(raw is NSNull) {
                cropSize = try Self.parseCrop(raw, fail: fail)
            }
        } else {
            cropSize = nil
        }
        if try flag("do_rescale", default: true) {
            if let raw = json["rescale_factor"], !(raw is NSNull) {
                guard let number = raw as? NSNumber else { throw fail("expected a number for \"rescale_factor\", found \(raw)") }
                rescaleFactor = number.doubleValue
            }
        } else {
            rescaleFactor = nil
        }
        normalizes = try flag("do_normalize", default: true)
        imageMean = try numbers("image_mean", imageMean)
        imageStd = try numbers("image_std", imageStd)
        if normalizes, imageStd.contains(0) { throw fail("\"image_std\" contains 0") }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.resize == rhs.resize && lhs.filter == rhs.filter && lhs.crop == rhs.crop
            && lhs.rescaleFactor == rhs.rescaleFactor && lhs.imageMean == rhs.imageMean
            && lhs.imageStd == rhs.imageStd && lhs.normalizes == rhs.normalizes
    }
}

extension ImageProcessorConfiguration {
    /// `size`: an int (shortest edge, as `get_size_dict(default_to_square=False)`), `[h, w]`,
    /// `{"shortest_edge": n}` or `{"height": h, "width": w}`.
    static func parseResize(_ raw: Any, fail: (String) -> ImageProcessingError) throws -> Resize {
        let resize: Resize? = {
            if let n = raw as? Int { return .shortestEdge(n) }
            if let pair = raw as? [Int], pair.count == 2 { return .exact(height: pair[0], width: pair[1]) }
            if let dict = raw as? [String: Any] {
                let longest = dict["longest_edge"].flatMap { $0 is NSNull ? nil : $0 }
                if let n = dict["shortest_edge"] as? Int, longest == nil { return .shortestEdge(n) }
                if let h = dict["height"] as? Int, let w = dict["width"] as? Int { return .exact(height: h, width: w) }
            }
            return nil
        }()
        let edges: [Int]
        switch resize {
        case .shortestEdge(let n)?: edges = [n]
        case .exact(let h, let w)?: edges = [h, w]
        case nil: edges = [0]
        }
        guard let resize, edges.allSatisfy(edgeRange.contains) else {
            throw fail(
                "\"size\" is \(raw); expected 224, [h, w], {\"shortest_edge\": n} or {\"height\": h, \"width\": w}"
                    + " with edges of \(edgeRange.lowerBound) ... \(edgeRange.upperBound) pixels")
        }
        return resize
    }

    /// `crop_size`: an int (square, as `get_size_dict(default_to_square=True)`), `[h, w]` or
    /// `{"height": h, "width": w}`.
    static func parseCrop(_ raw: Any, fail: (String) -> ImageProcessingError) throws -> (height: Int, width: Int) {
        var crop: (height: Int, width: Int)?
        if let n = raw as? Int { crop = (n, n) }
        if let pair = raw as? [Int], pair.count == 2 { crop = (pair[0], pair[1]) }
        if let dict = raw as? [String: Any], let h = dict["height"] as? Int, let w = dict["width"] as? Int { crop = (h, w) }
        guard let crop, edgeRange.contains(crop.height), edgeRange.contains(crop.width) else {
            throw fail(
                "\"crop_size\" is \(raw); expected 224, [h, w] or {\"height\": h, \"width\": w}"
                    + " with edges of \(edgeRange.lowerBound) ... \(edgeRange.upperBound) pixels")
        }
        return crop
    }

    /// The edges `size` and `crop_size` may ask for. CLIP models use 224 to 448; without a bound a
    /// configuration asking for 100,000 (or an overflowing 2⁶³ − 1) made each preprocessed image
    /// allocate gigabytes (or trap) instead of failing here.
    static let edgeRange = 1...4096
}
