/*
 * PNG through libpng, delivering the samples Pillow's PngImagePlugin unpacks (its _MODES table):
 * 1-bit grey → "1", 2/4-bit grey scaled to 8 bits ("L;2", "L;4"), 16-bit grey kept as "I;16",
 * 16-bit RGB / RGBA / grey+alpha reduced to their high bytes ("RGB;16B", "RGBA;16B", "LA;16B"),
 * palette indices unpacked with the palette and tRNS kept apart. No gamma, sBIT or tRNS transform is
 * asked of libpng: Pillow applies none of them at decode time.
 */
#include "internal.h"
#include <setjmp.h>
#include <stdlib.h>
#include <png.h>

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
    int truncated;
    char text[256];
} cic_png_source;

static void cic_png_read(png_structp png, png_bytep target, size_t length) {
    cic_png_source *source = png_get_io_ptr(png);
    if (length > source->size - source->offset) {
        source->truncated = 1;
        png_error(png, "the data ends before the image does");
    }
    memcpy(target, source->data + source->offset, length);
    source->offset += length;
}

static void cic_png_error(png_structp png, png_const_charp text) {
    cic_png_source *source = png_get_error_ptr(png);
    snprintf(source->text, sizeof(source->text), "%s", text);
    png_longjmp(png, 1);
}

static void cic_png_warning(png_structp png, png_const_charp text) { (void)png; (void)text; }

static void cic_png_take_exif(png_structp png, png_infop info, cic_image *out) {
    png_uint_32 count = 0;
    png_bytep exif = NULL;
    if (out->exif == NULL && png_get_eXIf_1(png, info, &count, &exif) && exif != NULL && count > 0)
        cic_store_exif(out, exif, count);
}

/* Reads the chunks after the image data (an eXIf may be there); an error there is not fatal. */
static void cic_png_read_end(png_structp png, png_infop info) {
    if (setjmp(png_jmpbuf(png))) return;
    png_read_end(png, info);
}

int cic_decode_png(const uint8_t *data, size_t size, uint64_t max_pixels, int want_exif, cic_image *out,
                   char *message, size_t capacity) {
    cic_png_source source = {data, size, 0, 0, {0}};
    out->format = CIC_FORMAT_PNG;
    /* libpng rejects a zero width or height as a generic error: name it first. */
    if (size >= 24 && memcmp(data + 12, "IHDR", 4) == 0) {
        uint32_t width = (uint32_t)data[16] << 24 | (uint32_t)data[17] << 16 | (uint32_t)data[18] << 8 | data[19];
        uint32_t height = (uint32_t)data[20] << 24 | (uint32_t)data[21] << 16 | (uint32_t)data[22] << 8 | data[23];
        if (width == 0 || height == 0) return cic_check_size(width, height, max_pixels, message, capacity);
    }
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &source, cic_png_error, cic_png_warning);
    if (png == NULL) {
        cic_set_message(message, capacity, "libpng could not start");
        return CIC_ERROR_OUT_OF_MEMORY;
    }
    png_infop info = png_create_info_struct(png);
    uint8_t *volatile raw = NULL;
    png_bytep *volatile rows = NULL;
    if (info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        cic_set_message(message, capacity, "libpng could not start");
        return CIC_ERROR_OUT_OF_MEMORY;
    }
    if (setjmp(png_jmpbuf(png))) {
        free(raw);
        free(rows);
        png_destroy_read_struct(&png, &info, NULL);
        cic_set_message(message, capacity, source.text);
        return source.truncated ? CIC_ERROR_TRUNCATED : CIC_ERROR_CORRUPT;
    }
    png_set_read_fn(png, &source, cic_png_read);
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
    png_set_crc_action(png, PNG_CRC_ERROR_QUIT, PNG_CRC_WARN_DISCARD);
    png_read_info(png, info);
    png_uint_32 width = 0, height = 0;
    int depth = 0, color_type = 0, interlace = 0;
    png_get_IHDR(png, info, &width, &height, &depth, &color_type, &interlace, NULL, NULL);
    int size_status = cic_check_size(width, height, max_pixels, message, capacity);
    if (size_status != CIC_OK) {
        png_destroy_read_struct(&png, &info, NULL);
        return size_status;
    }
    if (want_exif) cic_png_take_exif(png, info, out);
    if (depth < 8) png_set_packing(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    size_t stride = png_get_rowbytes(png, info);
    raw = malloc(stride * height);
    rows = malloc(sizeof(png_bytep) * height);
    if (raw == NULL || rows == NULL) {
        free(raw);
        free(rows);
        png_destroy_read_struct(&png, &info, NULL);
        cic_set_message(message, capacity, "no memory for the pixels");
        return CIC_ERROR_OUT_OF_MEMORY;
    }
    for (png_uint_32 y = 0; y < height; y++) rows[y] = raw + (size_t)y * stride;
    png_read_image(png, rows);
    if (want_exif) {
        cic_png_read_end(png, info);
        cic_png_take_exif(png, info, out);
    }

    size_t pixels = (size_t)width * height;
    out->width = (int32_t)width;
    out->height = (int32_t)height;
    png_color_16p trns_color = NULL;
    png_bytep trns_alpha = NULL;
    int trns_count = 0;
    int has_trns = png_get_tRNS(png, info, &trns_alpha, &trns_count, &trns_color) != 0;
    uint8_t *pixels_out = raw;
    size_t bytes = 0;
    switch (color_type) {
    case PNG_COLOR_TYPE_GRAY:
        if (depth == 16) {
            uint16_t *grey = (uint16_t *)raw; /* in place: each sample is read before it is written */
            for (size_t i = 0; i < pixels; i++) grey[i] = (uint16_t)((raw[2 * i] << 8) | raw[2 * i + 1]);
            out->layout = CIC_LAYOUT_GRAY16;
            bytes = pixels * 2;
        } else {
            int scale = depth == 1 ? 255 : depth == 2 ? 85 : depth == 4 ? 17 : 1;
            for (size_t i = 0; i < pixels; i++) raw[i] = (uint8_t)(raw[i] * scale);
            out->layout = depth == 1 ? CIC_LAYOUT_BILEVEL : CIC_LAYOUT_GRAY8;
            bytes = pixels;
        }
        if (has_trns && trns_color) {
            out->has_transparent_color = 1;
            out->transparent_color[0] = trns_color->gray;
        }
        break;
    case PNG_COLOR_TYPE_RGB:
        if (depth == 16) for (size_t i = 0; i < pixels * 3; i++) raw[i] = raw[2 * i];
        out->layout = CIC_LAYOUT_RGB8;
        bytes = pixels * 3;
        if (has_trns && trns_color) {
            out->has_transparent_color = 1;
            out->transparent_color[0] = trns_color->red;
            out->transparent_color[1] = trns_color->green;
            out->transparent_color[2] = trns_color->blue;
        }
        break;
    case PNG_COLOR_TYPE_GRAY_ALPHA:
        if (depth == 16) for (size_t i = 0; i < pixels * 2; i++) raw[i] = raw[2 * i];
        out->layout = CIC_LAYOUT_GRAYALPHA8;
        bytes = pixels * 2;
        break;
    case PNG_COLOR_TYPE_RGB_ALPHA:
        if (depth == 16) for (size_t i = 0; i < pixels * 4; i++) raw[i] = raw[2 * i];
        out->layout = CIC_LAYOUT_RGBA8;
        bytes = pixels * 4;
        break;
    case PNG_COLOR_TYPE_PALETTE: {
        png_colorp palette = NULL;
        int count = 0;
        png_get_PLTE(png, info, &palette, &count);
        out->layout = CIC_LAYOUT_PALETTE8;
        out->palette_count = count > 256 ? 256 : count;
        for (int i = 0; i < out->palette_count; i++) {
            out->palette[3 * i] = palette[i].red;
            out->palette[3 * i + 1] = palette[i].green;
            out->palette[3 * i + 2] = palette[i].blue;
        }
        if (has_trns && trns_alpha && trns_count > 0) {
            out->palette_alpha_count = trns_count > 256 ? 256 : trns_count;
            memcpy(out->palette_alpha, trns_alpha, (size_t)out->palette_alpha_count);
        }
        bytes = pixels;
        break;
    }
    default:
        free(raw);
        free(rows);
        png_destroy_read_struct(&png, &info, NULL);
        snprintf(message, capacity, "PNG colour type %d", color_type);
        return CIC_ERROR_UNSUPPORTED;
    }
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    out->pixels = pixels_out;
    out->pixel_bytes = bytes;
    return CIC_OK;
}
