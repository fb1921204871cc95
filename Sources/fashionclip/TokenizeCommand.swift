import ArgumentParser
import CLIPTokenization
import Foundation

/// `fashionclip tokenize`: prints the CLIP token ids of texts.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the CLIP token ids (with BOS and EOS, unpadded) of each text.",
        discussion: """
            Reads tokenizer.json, or vocab.json + merges.txt, and the special tokens of the model folder.
            With --json prints one JSON array holding one array of ids per text, e.g.
            [[49406, 320, 1125, 49407]]. Without it prints one line of space-separated ids per text.
            """
    )

    @Option(name: .long, help: "Model folder holding the tokenizer files.")
    var model: String

    @Option(name: .long, help: "Truncate to this many ids, keeping BOS and EOS (at least 2).")
    var maxLength: Int = CLIPTokenizer.defaultMaxLength

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    @Argument(help: "Texts to tokenize; '-' reads one text per line from standard input.")
    var texts: [String] = []

    func validate() throws {
        guard maxLength >= 2 else {
            throw ValidationError("--max-length must be at least 2 (room for BOS and EOS), found \(maxLength).")
        }
        guard !texts.isEmpty else {
            throw ValidationError("expected at least one TEXT (or '-' to read lines from standard input).")
        }
    }

    func run() throws {
        let tokenizer = try CLIPTokenizer(folder: URL(fileURLWithPath: model))
        var inputs: [String] = []
        for text in texts {
            if text == "-" {
                let data = FileHandle.standardInput.readDataToEndOfFile()
                inputs += try UTF8Lines.split(data, source: "standard input")
            } else {
                inputs.append(text)
            }
        }
        let rows = tokenizer.encodeBatch(inputs, padding: .none, maxLength: maxLength).ids
        if json {
            let arrays = rows.map { "[" + $0.map { String($0) }.joined(separator: ", ") + "]" }
            print("[" + arrays.joined(separator: ", ") + "]")
        } else {
            for row in rows { print(row.map { String($0) }.joined(separator: " ")) }
        }
    }
}
