/*
 * PNG writing through libpng: 8-bit RGB, no interlace, libpng's adaptive row filters, zlib at the
 * caller's level, into a growable memory buffer. No time or text chunk is written, so equal pixels
 * give equal bytes (for one libpng and zlib).
 */
#include "internal.h"
#include <stdlib.h>

/* The write target handed to libpng, and the first error it reported. */
typedef struct {
    cic_buffer *buffer;
    int out_of_memory;
    char text[256];
} cic_png_sink;

static void cic_png_write_data(png_structp png, png_bytep bytes, size_t length) {
    cic_png_sink *sink = png_get_io_ptr(png);
    cic_buffer *buffer = sink->buffer;
    if (length > SIZE_MAX - buffer->size) {
        sink->out_of_memory = 1;
        png_error(png, "the PNG would be larger than memory can address");
    }
    if (buffer->size + length > buffer->capacity) {
        size_t capacity = buffer->capacity < 4096 ? 4096 : buffer->capacity;
        while (capacity < buffer->size + length) capacity = capacity > SIZE_MAX / 2 ? SIZE_MAX : capacity * 2;
        uint8_t *grown = realloc(buffer->data, capacity);
        if (grown == NULL) {
            sink->out_of_memory = 1;
            png_error(png, "no memory for the PNG bytes");
        }
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->size, bytes, length);
    buffer->size += length;
}

static void cic_png_flush(png_structp png) { (void)png; }

static void cic_png_write_error(png_structp png, png_const_charp text) {
    cic_png_sink *sink = png_get_error_ptr(png);
    snprintf(sink->text, sizeof(sink->text), "%s", text);
    png_longjmp(png, 1);
}

static void cic_png_write_warning(png_structp png, png_const_charp text) { (void)png; (void)text; }

int cic_encode_png_rgb(int32_t width, int32_t height, const uint8_t *rgb, size_t stride, int32_t compression_level,
                       cic_buffer *out, char *message, size_t capacity) {
    if (message && capacity) message[0] = 0;
    if (out == NULL) {
        cic_set_message(message, capacity, "no output buffer");
        return CIC_ERROR_INVALID_ARGUMENT;
    }
    memset(out, 0, sizeof(*out));
    if (width <= 0 || height <= 0) {
        if (message && capacity) snprintf(message, capacity, "%d x %d pixels", (int)width, (int)height);
        return CIC_ERROR_ZERO_SIZE;
    }
    if (rgb == NULL || stride / 3 < (size_t)width) {
        if (message && capacity)
            snprintf(message, capacity, "rows of %zu bytes for %d RGB pixels", stride, (int)width);
        return CIC_ERROR_INVALID_ARGUMENT;
    }
    if (compression_level < 0 || compression_level > 9) compression_level = 9;
    cic_png_sink sink = {.buffer = out, .out_of_memory = 0, .text = {0}};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &sink, cic_png_write_error, cic_png_write_warning);
    png_infop info = png != NULL ? png_create_info_struct(png) : NULL;
    if (png == NULL || info == NULL) {
        png_destroy_write_struct(&png, NULL);
        cic_set_message(message, capacity, "libpng could not start");
        return CIC_ERROR_OUT_OF_MEMORY;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        cic_buffer_free(out);
        cic_set_message(message, capacity, sink.text[0] ? sink.text : "libpng failed");
        return sink.out_of_memory ? CIC_ERROR_OUT_OF_MEMORY : CIC_ERROR_CORRUPT;
    }
    png_set_write_fn(png, &sink, cic_png_write_data, cic_png_flush);
    /* libpng refuses widths and heights above 1,000,000 by default; the PNG limit is 2^31 - 1. */
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
    png_set_compression_level(png, compression_level);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int32_t y = 0; y < height; y++) png_write_row(png, rgb + (size_t)y * stride);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return CIC_OK;
}

void cic_buffer_free(cic_buffer *buffer) {
    if (buffer == NULL) return;
    free(buffer->data);
    buffer->data = NULL;
    buffer->size = 0;
    buffer->capacity = 0;
}
