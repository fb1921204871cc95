/* Shared between the decoders of CImageCodecs; not part of the public header. */
#ifndef CIC_INTERNAL_H
#define CIC_INTERNAL_H
#include "CImageCodecs.h"
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <jpeglib.h>
#include <png.h>
#include <webp/decode.h>

static inline void cic_set_message(char *message, size_t capacity, const char *text) {
    if (message == NULL || capacity == 0) return;
    snprintf(message, capacity, "%s", text);
}

/* Checks the size against the caller's limit; returns CIC_OK or an error code with a message. */
static inline int cic_check_size(uint64_t width, uint64_t height, uint64_t max_pixels, char *message,
                                 size_t capacity) {
    if (width == 0 || height == 0) {
        if (message && capacity) snprintf(message, capacity, "%llu x %llu pixels", (unsigned long long)width, (unsigned long long)height);
        return CIC_ERROR_ZERO_SIZE;
    }
    if (width * height > max_pixels) {
        if (message && capacity)
            snprintf(message, capacity, "%llu x %llu = %llu pixels, limit %llu", (unsigned long long)width,
                     (unsigned long long)height, (unsigned long long)(width * height), (unsigned long long)max_pixels);
        return CIC_ERROR_TOO_MANY_PIXELS;
    }
    return CIC_OK;
}

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    int saw_eof;
    int too_many_scans;
    char text[JMSG_LENGTH_MAX];
} cic_jpeg_error;

/* Most scans a JPEG may have: a progressive encoder writes about 10, and every scan costs a pass over
 * all coefficients, so thousands of tiny scans would hold the CPU for minutes (libjpeg-turbo's own
 * TurboJPEG API stops at 500 when asked to). */
#define CIC_JPEG_MAX_SCANS 1000

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
    int truncated;
    char text[256];
} cic_png_source;

struct cic_decoder {
    int format;
    const uint8_t *data;
    size_t size;
    int want_exif;
    /* JPEG */
    struct jpeg_decompress_struct jpeg;
    cic_jpeg_error jpeg_error;
    struct jpeg_progress_mgr jpeg_progress;
    int jpeg_started;
    /* PNG */
    png_structp png;
    png_infop png_info;
    cic_png_source png_source;
    int png_depth;
    int png_color_type;
    /* WebP */
    WebPDecoderConfig webp;
    /* GIF */
    size_t gif_offset;      /* the LZW minimum code size byte of the first frame */
    uint32_t gif_frame[4];  /* x0, y0, width, height */
    int gif_interlaced;
    int gif_fill;           /* the index outside the frame */
};

/* Copies a TIFF-structured EXIF block (a leading "Exif\0\0" is dropped) into image->exif. */
void cic_store_exif(cic_image *image, const uint8_t *data, size_t size);

int cic_jpeg_open(cic_decoder *decoder, uint64_t max_pixels, cic_image *info, char *message, size_t capacity);
int cic_jpeg_read(cic_decoder *decoder, cic_image *info, uint8_t *pixels, char *message, size_t capacity);
void cic_jpeg_close(cic_decoder *decoder);
int cic_png_open(cic_decoder *decoder, uint64_t max_pixels, cic_image *info, char *message, size_t capacity);
int cic_png_read(cic_decoder *decoder, cic_image *info, uint8_t *pixels, char *message, size_t capacity);
void cic_png_close(cic_decoder *decoder);
int cic_webp_open(cic_decoder *decoder, uint64_t max_pixels, cic_image *info, char *message, size_t capacity);
int cic_gif_open(cic_decoder *decoder, uint64_t max_pixels, cic_image *info, char *message, size_t capacity);
int cic_gif_read(cic_decoder *decoder, cic_image *info, uint8_t *pixels, char *message, size_t capacity);
int cic_webp_read(cic_decoder *decoder, cic_image *info, uint8_t *pixels, char *message, size_t capacity);
#endif
