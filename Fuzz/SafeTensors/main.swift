import CLIPNetwork
import FuzzSupport

// safetensors bytes through `SafeTensorsFile(data:path:)` (header length, JSON header, offsets, dtypes,
// shapes, tiling of the data section), then every tensor read back as floats or integers. A file opens
// or throws a `CLIPNetworkError`; a tensor reads or throws one; anything else is a bug.

FuzzDriver.run { bytes in
    let file: SafeTensorsFile
    do {
        file = try SafeTensorsFile(data: bytes, path: "fuzz.safetensors")
    } catch {
        FuzzDriver.expect(error, is: CLIPNetworkError.self)
        return
    }
    for name in file.tensorNames {
        let count = file.tensors[name].map { $0.shape.reduce(1, *) }
        do {
            let values = try file.floats(name)
            precondition(values.count == count)
        } catch {
            FuzzDriver.expect(error, is: CLIPNetworkError.self)
            do {
                let values = try file.integers(name)
                precondition(values.count == count)
            } catch {
                FuzzDriver.expect(error, is: CLIPNetworkError.self)
            }
        }
    }
}
