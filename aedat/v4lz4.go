package aedat

import (
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
	"slices"

	"github.com/pierrec/lz4/v4"
)

// Each LZ4 packet of an AEDAT 4.0 file holds an LZ4 frame, which the frame reader of
// github.com/pierrec/lz4/v4 decodes, one reader for the whole file. That reader keeps the
// last 64 KiB or more of what the linked blocks of its frames decompressed to, across
// frames, and offers it to every block as the dictionary that matches may reach back
// into: a block of one packet may refer to the data of the packets before it.
//
// lz4Fast decodes the frames DV writes (one frame per packet, no checksums) without the
// frame reader: straight into a buffer that holds that history ahead of the packet, with
// the same block decoder, the same block buffer size and the same dictionary bytes, and
// so with the same outcome. Whatever else it meets, valid or not, it leaves to the frame
// reader, which it first hands the history; the frame reader then decodes every packet
// after that one too.

const (
	lz4FrameMagic = 0x184D2204
	lz4Window     = 64 << 10 // how far back a match can reach
	lz4FlagsDV    = 0x40     // FLG byte: version 1, linked blocks, no options
	lz4BlockDV    = 0x40     // BD byte: blocks of up to 64 KiB
)

// lz4History returns the history that the next frame's blocks can refer to, the last
// lz4Window bytes that linked blocks decompressed to, after moving it to the front of
// r.lzBuf.
func (r *v4Reader) lz4History() []byte {
	if r.lzEnd > r.lzHist {
		r.lzHist = copy(r.lzBuf, r.lzBuf[max(0, r.lzEnd-lz4Window):r.lzEnd])
		r.lzEnd = r.lzHist
	}
	return r.lzBuf[:r.lzHist]
}

// lz4Fast decompresses raw, a packet that holds one LZ4 frame without checksums or
// dictionary ID, the way the frame reader would. It reports false, having changed
// nothing that the frame reader would need, for anything else, including frames that
// the frame reader would reject, and for a packet that decompresses past the cap.
func (r *v4Reader) lz4Fast(raw []byte) ([]byte, bool) {
	le := binary.LittleEndian
	if len(raw) < 7 || le.Uint32(raw) != lz4FrameMagic {
		return nil, false
	}
	// FLG: version 1 (bits 6-7), linked or independent blocks (5), content size (3);
	// not block checksums (4), content checksum (2), reserved (1), dictionary ID (0).
	// BD: a block size of 64 KiB (4) up to 4 MiB (7) in bits 4-6, the others clear.
	flg, bd := raw[4], raw[5]
	if flg&0xC0 != 0x40 || flg&0x17 != 0 || bd&0x8F != 0 || bd>>4 < 4 {
		return nil, false
	}
	blockMax := 1 << (8 + 2*int(bd>>4))
	linked, hasSize := flg&0x20 == 0, flg&0x08 != 0
	p := 6
	if hasSize {
		p += 8
	}
	if len(raw) <= p || raw[p] != byte(xxh32Short(raw[4:p])>>8) {
		return nil, false
	}
	p++

	hist := len(r.lz4History())
	end := hist
	for {
		if len(raw)-p < 4 {
			return nil, false
		}
		x := le.Uint32(raw[p:])
		p += 4
		if x == 0 {
			break // end mark
		}
		n := int(x &^ (1 << 31))
		if n > blockMax || len(raw)-p < n {
			return nil, false
		}
		src := raw[p : p+n]
		p += n
		// Each block decompresses into blockMax bytes, as in the frame reader.
		if len(r.lzBuf) < end+blockMax {
			r.lzBuf = slices.Grow(r.lzBuf[:end], blockMax)
			r.lzBuf = r.lzBuf[:cap(r.lzBuf)]
		}
		buf := r.lzBuf
		dst := buf[end : end+blockMax]
		var k int
		if x>>31 != 0 {
			k = copy(dst, src) // a block stored uncompressed
		} else {
			dict := buf[:hist] // independent blocks see the history alone
			if linked {
				dict = buf[max(0, end-lz4Window):end]
			}
			var err error
			if k, err = lz4.UncompressBlockWithDict(src, dst, dict); err != nil {
				return nil, false
			}
		}
		end += k
		if int64(end-hist) > r.maxDecoded {
			return nil, false
		}
	}
	if p != len(raw) || hasSize && le.Uint64(raw[6:]) != uint64(end-hist) {
		return nil, false
	}
	if linked {
		r.lzEnd = end
	}
	return r.lzBuf[hist:end], true
}

// lz4Slow decompresses raw with the frame reader, creating it, with the history that
// lz4Fast kept, on the first call.
func (r *v4Reader) lz4Slow(raw []byte) ([]byte, error) {
	if r.lz == nil {
		r.lz = lz4.NewReader(&r.src)
		if h := r.lz4History(); len(h) > 0 {
			// A frame of linked blocks that stores h in one block leaves h as the
			// frame reader's history.
			le := binary.LittleEndian
			f := le.AppendUint32(make([]byte, 0, len(h)+15), lz4FrameMagic)
			f = append(f, lz4FlagsDV, lz4BlockDV)
			f = append(f, byte(xxh32Short(f[4:6])>>8))
			f = le.AppendUint32(f, uint32(len(h))|1<<31)
			f = le.AppendUint32(append(f, h...), 0)
			r.src.Reset(f)
			if _, err := io.Copy(io.Discard, r.lz); err != nil {
				return nil, fmt.Errorf("aedat: %s: LZ4 history: %w", r.name, err)
			}
		}
	}
	r.src.Reset(raw)
	r.lz.Reset(&r.src)
	// Read up to one byte past the cap, to tell a packet that reaches it from one that
	// exceeds it. The buffer grows as the data decompresses, with room for a 64 KiB
	// block, which the frame reader then decompresses in place.
	limit := int(r.maxDecoded) + 1
	out := r.dec[:0]
	for len(out) < limit {
		if cap(out)-len(out) < lz4Window && cap(out) < limit {
			out = slices.Grow(out, min(max(cap(out), lz4Window), limit-len(out)))
		}
		k, err := r.lz.Read(out[len(out):min(cap(out), limit)])
		out = out[:len(out)+k]
		if err == io.EOF {
			break
		}
		if err != nil {
			r.dec = out
			return nil, r.formatErr(r.pktOff, "corrupt LZ4 packet: %v", err)
		}
	}
	r.dec = out
	if len(out) > int(r.maxDecoded) {
		return nil, r.formatErr(r.pktOff, "packet decompresses past %d bytes", r.maxDecoded)
	}
	return out, nil
}

// xxh32Short returns the XXH32 hash, seed 0, of b, which is shorter than 16 bytes: the
// hash that checks an LZ4 frame descriptor.
func xxh32Short(b []byte) uint32 {
	const (
		p1 = 2654435761
		p2 = 2246822519
		p3 = 3266489917
		p4 = 668265263
		p5 = 374761393
	)
	h := uint32(p5) + uint32(len(b))
	for ; len(b) >= 4; b = b[4:] {
		h += binary.LittleEndian.Uint32(b) * p3
		h = bits.RotateLeft32(h, 17) * p4
	}
	for _, c := range b {
		h += uint32(c) * p5
		h = bits.RotateLeft32(h, 11) * p1
	}
	h ^= h >> 15
	h *= p2
	h ^= h >> 13
	h *= p3
	h ^= h >> 16
	return h
}
