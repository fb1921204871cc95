/*
 * PNG through libpng, delivering the samples Pillow's PngImagePlugin unpacks (its _MODES table):
 * 1-bit grey → "1", 2/4-bit grey scaled to 8 bits ("L;2", "L;4"), 16-bit grey kept as "I;16",
 * 16-bit RGB / RGBA / grey+alpha reduced to their high bytes ("RGB;16B", "RGBA;16B", "LA;16B":
 * png_set_strip_16 drops the low byte), palette indices unpacked with the palette and tRNS kept
 * apart. No gamma, sBIT or tRNS transform is asked of libpng: Pillow applies none at decode time.
 */
#include "internal.h"
#include <stdlib.h>

static void cic_png_read_data(png_structp png, png_bytep target, size_t length) {
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

static void cic_png_take_exif(cic_decoder *decoder, cic_image *info) {
    png_uint_32 count = 0;
    png_bytep exif = NULL;
    if (info->exif == NULL && png_get_eXIf_1(decoder->png, decoder->png_info, &count, &exif) && exif && count > 0)
        cic_store_exif(info, exif, count);
}

/* Reads the chunks after the image data (an eXIf may be there); an error there is not fatal. */
static void cic_png_read_end(cic_decoder *decoder) {
    if (setjmp(png_jmpbuf(decoder->png))) return;
    png_read_end(decoder->png, decoder->png_info);
}

static int cic_png_failure(cic_decoder *decoder, char *message, size_t capacity) {
    cic_set_message(message, capacity, decoder->png_source.text);
    return decoder->png_source.truncated ? CIC_ERROR_TRUNCATED : CIC_ERROR_CORRUPT;
}

static uint32_t cic_be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The bytes libpng may read: the chunks up to the first whose declared length runs past the end of
 * the data. libpng allocates a chunk's declared length before reading it (2 GB for a text chunk of a
 * 51-byte file), so it never sees such a chunk: before the first IDAT the file is truncated (0 is
 * returned); after it, the image data is whole and the rest is cut, so the trailing chunks libpng
 * reads for an eXIf end at the cut instead. */
static size_t cic_png_whole_chunks(const uint8_t *data, size_t size) {
    size_t offset = 8;
    int seen_image_data = 0;
    while (offset + 8 <= size) {
        const uint32_t length = cic_be32(data + offset);
        const int idat = memcmp(data + offset + 4, "IDAT", 4) == 0;
        if (length > 0x7fffffffu || (size_t)length + 12 > size - offset) return idat || seen_image_data ? offset : 0;
        if (memcmp(data + offset + 4, "IEND", 4) == 0) return size;
        seen_image_data |= idat;
        offset += (size_t)length + 12;
    }
    return size;
}

int cic_png_open(cic_decoder *decoder, uint64_t max_pixels, cic_image *info, char *message, size_t capacity) {
    const uint8_t *data = decoder->data;
    /* libpng rejects a zero width or height as a generic error: name it first. */
    if (decoder->size >= 24 && memcmp(data + 12, "IHDR", 4) == 0) {
        uint32_t width = (uint32_t)data[16] << 24 | (uint32_t)data[17] << 16 | (uint32_t)data[18] << 8 | data[19];
        uint32_t height = (uint32_t)data[20] << 24 | (uint32_t)data[21] << 16 | (uint32_t)data[22] << 8 | data[23];
        if (width == 0 || height == 0) return cic_check_size(width, height, max_pixels, message, capacity);
    }
    decoder->png_source.data = data;
    decoder->png_source.size = cic_png_whole_chunks(data, decoder->size);
    if (decoder->png_source.size == 0) {
        cic_set_message(message, capacity, "a chunk declares more bytes than the file holds");
        return CIC_ERROR_TRUNCATED;
    }
    /* An IDAT cut by the end of the data: libpng reads up to the end and reports the truncation. */
    if (decoder->png_source.size < decoder->size) {
        const size_t cut = decoder->png_source.size;
        if (cut + 8 <= decoder->size && memcmp(data + cut + 4, "IDAT", 4) == 0) decoder->png_source.size = decoder->size;
    }
    decoder->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &decoder->png_source, cic_png_error, cic_png_warning);
    if (decoder->png != NULL) decoder->png_info = png_create_info_struct(decoder->png);
    if (decoder->png == NULL || decoder->png_info == NULL) {
        cic_set_message(message, capacity, "libpng could not start");
        return CIC_ERROR_OUT_OF_MEMORY;
    }
    png_structp png = decoder->png;
    png_infop pinfo = decoder->png_info;
    if (setjmp(png_jmpbuf(png))) return cic_png_failure(decoder, message, capacity);
    png_set_read_fn(png, &decoder->png_source, cic_png_read_data);
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
    /* An ancillary chunk (tEXt, zTXt, iCCP …) declares its length before its bytes: libpng's default
     * let a 51-byte file make it allocate 2 GB for one. Pillow keeps text chunks under 1 MiB
     * (ImageFile.SAFEBLOCK); 8 MiB per chunk and 1000 stored chunks bound what a file can ask for. */
    png_set_chunk_malloc_max(png, 8u << 20);
    png_set_chunk_cache_max(png, 1000);
    /* Checksums as Pillow 13 checks them: every chunk before the image data (critical or not) must
     * match, or the file is refused ("broken PNG file"); the image data's own CRCs are not checked
     * (its zlib stream still is), so a file whose IDAT CRC is wrong decodes. */
    png_set_crc_action(png, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
    png_read_info(png, pinfo);
    png_set_crc_action(png, PNG_CRC_QUIET_USE, PNG_CRC_WARN_DISCARD);
    png_uint_32 width = 0, height = 0;
    int depth = 0, color_type = 0;
    png_get_IHDR(png, pinfo, &width, &height, &depth, &color_type, NULL, NULL, NULL);
    int size_status = cic_check_size(width, height, max_pixels, message, capacity);
    if (size_status != CIC_OK) return size_status;
    decoder->png_depth = depth;
    decoder->png_color_type = color_type;
    if (decoder->want_exif) cic_png_take_exif(decoder, info);
    size_t pixels = (size_t)width * height;
    info->width = (int32_t)width;
    info->height = (int32_t)height;
    png_color_16p trns_color = NULL;
    png_bytep trns_alpha = NULL;
    int trns_count = 0;
    int has_trns = png_get_tRNS(png, pinfo, &trns_alpha, &trns_count, &trns_color) != 0;
    switch (color_type) {
    case PNG_COLOR_TYPE_GRAY:
        info->layout = depth == 16 ? CIC_LAYOUT_GRAY16 : depth == 1 ? CIC_LAYOUT_BILEVEL : CIC_LAYOUT_GRAY8;
        info->pixel_bytes = pixels * (depth == 16 ? 2 : 1);
        if (has_trns && trns_color) {
            info->has_transparent_color = 1;
            info->transparent_color[0] = trns_color->gray;
        }
        break;
    case PNG_COLOR_TYPE_RGB:
        info->layout = CIC_LAYOUT_RGB8;
        info->pixel_bytes = pixels * 3;
        if (has_trns && trns_color) {
            info->has_transparent_color = 1;
            info->transparent_color[0] = trns_color->red;
            info->transparent_color[1] = trns_color->green;
            info->transparent_color[2] = trns_color->blue;
        }
        break;
    case PNG_COLOR_TYPE_GRAY_ALPHA:
        info->layout = CIC_LAYOUT_GRAYALPHA8;
        info->pixel_bytes = pixels * 2;
        break;
    case PNG_COLOR_TYPE_RGB_ALPHA:
        info->layout = CIC_LAYOUT_RGBA8;
        info->pixel_bytes = pixels * 4;
        break;
    case PNG_COLOR_TYPE_PALETTE: {
        png_colorp palette = NULL;
        int count = 0;
        png_get_PLTE(png, pinfo, &palette, &count);
        info->layout = CIC_LAYOUT_PALETTE8;
        info->pixel_bytes = pixels;
        info->palette_count = count > 256 ? 256 : count;
        for (int i = 0; i < info->palette_count; i++) {
            info->palette[3 * i] = palette[i].red;
            info->palette[3 * i + 1] = palette[i].green;
            info->palette[3 * i + 2] = palette[i].blue;
        }
        if (has_trns && trns_alpha && trns_count > 0) {
            info->palette_alpha_count = trns_count > 256 ? 256 : trns_count;
            memcpy(info->palette_alpha, trns_alpha, (size_t)info->palette_alpha_count);
        }
        break;
    }
    default:
        snprintf(message, capacity, "PNG colour type %d", color_type);
        return CIC_ERROR_UNSUPPORTED;
    }
    return CIC_OK;
}

int cic_png_read(cic_decoder *decoder, cic_image *info, uint8_t *pixels, char *message, size_t capacity) {
    png_structp png = decoder->png;
    png_bytep *volatile rows = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        return cic_png_failure(decoder, message, capacity);
    }
    int depth = decoder->png_depth;
    if (depth < 8) png_set_packing(png);
    if (depth == 16 && info->layout != CIC_LAYOUT_GRAY16) png_set_strip_16(png);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (info->layout == CIC_LAYOUT_GRAY16) png_set_swap(png);
#endif
    png_set_interlace_handling(png);
    png_read_update_info(png, decoder->png_info);
    size_t height = (size_t)info->height;
    size_t stride = png_get_rowbytes(png, decoder->png_info);
    if (stride * height != info->pixel_bytes) {
        cic_set_message(message, capacity, "libpng's row size differs from the header's");
        return CIC_ERROR_CORRUPT;
    }
    rows = malloc(sizeof(png_bytep) * height);
    if (rows == NULL) {
        cic_set_message(message, capacity, "no memory for the row table");
        return CIC_ERROR_OUT_OF_MEMORY;
    }
    for (size_t y = 0; y < height; y++) rows[y] = pixels + y * stride;
    png_read_image(png, rows);
    free(rows);
    rows = NULL;
    if (decoder->png_color_type == PNG_COLOR_TYPE_GRAY && depth < 8) {
        const int scale = depth == 1 ? 255 : depth == 2 ? 85 : 17;
        for (size_t i = 0; i < info->pixel_bytes; i++) pixels[i] = (uint8_t)(pixels[i] * scale);
    }
    if (decoder->want_exif) {
        cic_png_read_end(decoder);
        cic_png_take_exif(decoder, info);
    }
    return CIC_OK;
}

void cic_png_close(cic_decoder *decoder) {
    if (decoder->png != NULL) png_destroy_read_struct(&decoder->png, decoder->png_info ? &decoder->png_info : NULL, NULL);
}
