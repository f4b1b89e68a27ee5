#include <zlib.h>
#include <stdlib.h>

/* zlib's init functions are macros, which Swift cannot call: wrap them. */
static inline int czref_deflate_init(z_stream *s, int level) {
    return deflateInit2(s, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
}
static inline int czref_inflate_init(z_stream *s) {
    return inflateInit2(s, 31);
}
static inline z_stream *czref_stream_new(void) {
    return (z_stream *)calloc(1, sizeof(z_stream));
}
