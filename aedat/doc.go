// Package aedat reads the AEDAT files that event cameras (DVS) and their software write:
// jAER's AEDAT 2.0, the packet format 3.1 of the DVS128 Gesture dataset, and the
// flatbuffer-based 4.0 of newer cameras. Each decoded polarity event becomes an Event with
// a microsecond timestamp, sensor coordinates and a polarity, ready to be mapped onto the
// input neurons of an event-mode network.
//
// Open detects the version from the file's first line and returns a Reader that streams
// the events in file order, in bounded memory however long the file is: one at a time
// with Next and Event, or in batches with Read, which costs a fraction per event and
// suits long recordings. Records that are not polarity events (special events, frames,
// IMU samples, triggers) are skipped and counted by kind.
//
// # Errors
//
// A *FormatError reports corrupt input and a *UnsupportedError valid input this package
// cannot decode; both name the file and the byte offset. A Reader that meets a fault stops
// there: it returns the events before the fault, which remain valid, then reports the
// end (Next returns false, Read 0), and Err returns the fault.
// A file that ends inside a record or packet is corrupt (truncated): a *FormatError, not
// io.ErrUnexpectedEOF. Errors of the underlying io.Reader are returned as they are.
// No field read from a file decides the size of an allocation: buffers grow as bytes
// arrive, up to fixed limits (16 MiB for a 4.0 header or packet).
//
// # Coordinates and polarity
//
// Every Reader returns (0, 0) at the top left of the image, as jAER, libcaer and the
// AEDAT 3.1 and 4.0 formats show it, and On for a brightness increase. AEDAT 3.1 stores
// coordinates and polarity that way. The jAER formats 1.0 and 2.0 store raw chip
// addresses, which this package reads as jAER and libcaer do: X = width-1-x_raw and
// Y = height-1-y_raw for both DVS128 and DAVIS; a DAVIS polarity bit (11) set is ON; a
// DVS128 polarity bit (0) clear is ON. The last rule, and the mirroring of x, depart from
// the text of iniVation's AEDAT 1.0/2.0 specification (see BUGS), which some other
// readers follow. The file v2.go gives the bit layouts and the sources.
//
// # Time order
//
// The formats say that timestamps never decrease, but real files break this now and
// then (jAER documents older hardware that did). The policy here is to report, not to
// reorder: a Reader returns the events in file order with the timestamps the file
// holds, and counts each event whose timestamp is smaller than that of the event before
// it. Backwards returns that count.
//
// # Labels and writing
//
// ReadLabels reads the label files of the DVS128 Gesture dataset, and a Writer writes
// polarity events as an AEDAT 3.1 file that NewReader reads back unchanged.
package aedat
