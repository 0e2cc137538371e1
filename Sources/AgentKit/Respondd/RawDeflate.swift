import CZlib

/// respondd answers are raw deflate (no zlib or gzip header), which zlib gives with negative window bits.
public enum RawDeflate {
    /// zlib refused to start or finish a stream.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let code: Int32
        public var description: String { "zlib error \(code)" }
    }

    /// Window bits -15: a raw deflate stream with the largest window.
    private static let rawWindowBits: Int32 = -15

    public static func compress(_ input: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        var status = deflateInit2_(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, rawWindowBits, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw Failure(code: status) }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count)))
        var output = [UInt8](repeating: 0, count: bound)
        var source = input
        let produced = try source.withUnsafeMutableBufferPointer { sourceBuffer in
            try output.withUnsafeMutableBufferPointer { outputBuffer in
                stream.next_in = sourceBuffer.baseAddress
                stream.avail_in = uInt(sourceBuffer.count)
                stream.next_out = outputBuffer.baseAddress
                stream.avail_out = uInt(outputBuffer.count)
                status = deflate(&stream, Z_FINISH)
                guard status == Z_STREAM_END else { throw Failure(code: status) }
                return outputBuffer.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(produced))
    }

    /// Inflates at most `limit` bytes, so a hostile stream cannot blow up memory.
    public static func decompress(_ input: [UInt8], limit: Int = 1 << 20) throws -> [UInt8] {
        var stream = z_stream()
        var status = inflateInit2_(&stream, rawWindowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw Failure(code: status) }
        defer { inflateEnd(&stream) }
        var source = input
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        try source.withUnsafeMutableBufferPointer { sourceBuffer in
            stream.next_in = sourceBuffer.baseAddress
            stream.avail_in = uInt(sourceBuffer.count)
            repeat {
                let produced = chunk.withUnsafeMutableBufferPointer { chunkBuffer -> Int in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = uInt(chunkBuffer.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return chunkBuffer.count - Int(stream.avail_out)
                }
                guard status == Z_OK || status == Z_STREAM_END else { throw Failure(code: status) }
                result += chunk.prefix(produced)
                guard result.count <= limit else { throw Failure(code: Z_MEM_ERROR) }
                if status == Z_OK && produced == 0 && stream.avail_in == 0 { throw Failure(code: Z_BUF_ERROR) }
            } while status != Z_STREAM_END
        }
        return result
    }
}
