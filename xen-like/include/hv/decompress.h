/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Single-call decompressors for boot payloads (the dom0 kernel's bzImage
 * payload, PV-ABI.md section 1.1).  The output buffer is the whole window.
 */
#ifndef HV_DECOMPRESS_H
#define HV_DECOMPRESS_H

#include <hv/types.h>

/*
 * Decodes the first .xz stream in [in, in + in_len) into out (capacity
 * out_cap) and stores the decoded size in *out_len.  Bytes after the stream
 * footer are ignored (a bzImage appends the 4-byte size).  Filters: LZMA2,
 * optionally behind x86 BCJ; checks: none, CRC32, CRC64 (verified).
 * Returns 0, -XEN_EINVAL for corrupt or truncated input, -XEN_ENOSPC if the
 * output does not fit, -XEN_EOPNOTSUPP for valid but unsupported streams
 * (other filters or check types).  Never accesses memory outside the two
 * buffers.  Not reentrant: the decoder state is static (boot-time use).
 */
int xz_decompress(const void *in, size_t in_len, void *out, size_t out_cap,
                  size_t *out_len);

/*
 * Decodes the first gzip member (RFC 1952, deflate per RFC 1951), checks
 * its CRC32 and ISIZE; trailing bytes are ignored.  Returns 0,
 * -XEN_EINVAL or -XEN_ENOSPC as xz_decompress() does, with the same bounds
 * guarantee; not reentrant either (static Huffman tables).
 */
int gzip_decompress(const void *in, size_t in_len, void *out, size_t out_cap,
                    size_t *out_len);

#endif
