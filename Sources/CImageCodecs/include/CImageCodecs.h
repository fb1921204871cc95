#ifndef CIMAGECODECS_H
#define CIMAGECODECS_H
/*
 * Image decoding through the system's libjpeg-turbo (libjpeg API behind a setjmp error shim: the
 * default handler calls exit()), libpng and libwebp, a GIF first-frame decoder of our own
 * (LZW), and PNG encoding through libpng. Decoders return samples as the file stores them (Pillow's "raw modes"); the Swift module
 * CLIPImageProcessing turns them into RGB the way Pillow's convert("RGB") does. (Pillow's resampler
 * passes are kernels: CKernels' `ck_resample_*`.)
 */
#include <stddef.h>
#include <stdint.h>

/* Status codes of cic_open, cic_read and cic_encode_png_rgb. */
enum {
    CIC_OK = 0,
    CIC_ERROR_EMPTY = 1,              /* no bytes at all */
    CIC_ERROR_UNKNOWN_FORMAT = 2,     /* the signature is no JPEG, PNG, WebP or GIF */
    CIC_ERROR_TRUNCATED = 3,          /* the data ends before the image does */
    CIC_ERROR_CORRUPT = 4,            /* the codec rejected the data */
    CIC_ERROR_TOO_MANY_PIXELS = 5,    /* width × height above the caller's limit */
    CIC_ERROR_ZERO_SIZE = 6,          /* width or height is 0 */
    CIC_ERROR_UNSUPPORTED = 7,        /* a valid file using a feature we do not decode (12-bit JPEG, …) */
    CIC_ERROR_OUT_OF_MEMORY = 8,
    CIC_ERROR_INVALID_ARGUMENT = 9,   /* an encoder argument out of range (no pixels, rows shorter than the width) */
};

/* Container formats. */
enum { CIC_FORMAT_JPEG = 1, CIC_FORMAT_PNG = 2, CIC_FORMAT_WEBP = 3, CIC_FORMAT_GIF = 4 };

/* Sample layouts of a decoded image (interleaved, row-major, no row padding). */
enum {
    CIC_LAYOUT_GRAY8 = 1,      /* Pillow "L" (PNG 1/2/4-bit grey already scaled to 0…255) */
    CIC_LAYOUT_GRAYALPHA8 = 2, /* Pillow "LA" */
    CIC_LAYOUT_RGB8 = 3,       /* Pillow "RGB" */
    CIC_LAYOUT_RGBA8 = 4,      /* Pillow "RGBA" */
    CIC_LAYOUT_CMYK8 = 5,      /* Pillow "CMYK" (already inverted: Pillow reads JPEG CMYK as "CMYK;I") */
    CIC_LAYOUT_GRAY16 = 6,     /* Pillow "I;16": uint16 in host byte order */
    CIC_LAYOUT_PALETTE8 = 7,   /* Pillow "P": one index a pixel, see palette / palette_alpha */
    CIC_LAYOUT_BILEVEL = 8,    /* Pillow "1": stored as 0 or 255 */
};

/* What cic_open learns from the headers. */
typedef struct cic_image {
    int32_t format;            /* CIC_FORMAT_* */
    int32_t layout;            /* CIC_LAYOUT_* */
    int32_t width;
    int32_t height;
    size_t pixel_bytes;        /* the buffer cic_read needs: width × height × bytes per pixel */
    int32_t palette_count;     /* PALETTE8: entries in palette (RGB triples) */
    uint8_t palette[256 * 3];
    int32_t palette_alpha_count; /* PALETTE8: entries in palette_alpha (PNG tRNS); 0 = no tRNS */
    uint8_t palette_alpha[256];
    int32_t has_transparent_color; /* GRAY8 / GRAY16 / RGB8 / BILEVEL: a PNG tRNS colour is present */
    uint16_t transparent_color[3]; /* the tRNS samples as stored (grey in [0]) */
    uint8_t *exif;             /* malloc'd TIFF-structured EXIF block ("Exif\0\0" removed), or NULL */
    size_t exif_bytes;
} cic_image;

/* A decoder between cic_open and cic_close. */
typedef struct cic_decoder cic_decoder;

/*
 * Reads the headers of a JPEG, PNG, WebP or GIF (first frame) byte buffer (which must stay alive until cic_close).
 * max_pixels: images with width × height above it fail with CIC_ERROR_TOO_MANY_PIXELS before any
 * pixel memory is allocated. want_exif: also extract the EXIF block (a PNG eXIf after the image data
 * is found by cic_read). On success *decoder must be passed to cic_close; on failure it is NULL and
 * `message` holds the codec's own words (NUL-terminated, truncated to capacity).
 */
int cic_open(const uint8_t *data, size_t size, uint64_t max_pixels, int want_exif, cic_image *info,
             cic_decoder **decoder, char *message, size_t message_capacity);

/*
 * Decodes the pixels into `pixels` (at least info->pixel_bytes bytes; GRAY16 samples in host byte
 * order, so the buffer must be 2-byte aligned), updating info (EXIF found late).
 */
int cic_read(cic_decoder *decoder, cic_image *info, uint8_t *pixels, size_t capacity, char *message,
             size_t message_capacity);

/* Releases the decoder; safe on NULL. */
void cic_close(cic_decoder *decoder);

/* Frees info->exif; safe on a zeroed struct. */
void cic_image_free(cic_image *image);

/* A malloc'd byte buffer the encoder fills: `size` bytes are used of `capacity`. Free with cic_buffer_free. */
typedef struct cic_buffer {
    uint8_t *data;
    size_t size;
    size_t capacity;
} cic_buffer;

/*
 * Encodes rgb [height, width, 3] (rows `stride` bytes apart, stride >= 3 * width) as an 8-bit RGB PNG
 * into *out, which is reset first. compression_level: zlib's 0 ... 9 (outside that range: 9).
 * Returns CIC_OK, CIC_ERROR_ZERO_SIZE (a width or height below 1), CIC_ERROR_INVALID_ARGUMENT (no
 * pixels or no output, a stride below 3 * width), CIC_ERROR_OUT_OF_MEMORY, or CIC_ERROR_CORRUPT
 * (libpng refused, its words in `message`). On failure *out holds no memory.
 */
int cic_encode_png_rgb(int32_t width, int32_t height, const uint8_t *rgb, size_t stride, int32_t compression_level,
                       cic_buffer *out, char *message, size_t message_capacity);

/* Frees buffer->data and zeroes the buffer; safe on a zeroed buffer. */
void cic_buffer_free(cic_buffer *buffer);

#endif
