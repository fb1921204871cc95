/*
 * The first frame of a GIF, as Pillow 13's GifImagePlugin loads it (its default loading strategy
 * keeps frame 0 in mode "P", or "L" when there is no colour table): the canvas is the logical screen,
 * grown to hold the frame if it sticks out; pixels outside the frame hold the frame's transparent
 * index when its Graphic Control Extension sets one, else index 0; the frame is LZW-decoded (codes
 * up to 12 bits, a full table stops growing) with Adam-style 4-pass interlacing. The colour table is
 * the frame's local one, else the global one, else the identity grey ramp; the transparent index
 * becomes alpha 0 in palette_alpha (Pillow's info["transparency"]).
 */
#include "internal.h"
#include <stdlib.h>

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
} cic_gif_reader;

static int cic_gif_byte(cic_gif_reader *r) { return r->offset < r->size ? r->data[r->offset++] : -1; }

/* Skips data sub-blocks up to and including the terminator; 0 on success, -1 at end of data. */
static int cic_gif_skip_blocks(cic_gif_reader *r) {
    for (;;) {
        int length = cic_gif_byte(r);
        if (length < 0) return -1;
        if (length == 0) return 0;
        if (r->size - r->offset < (size_t)length) return -1;
        r->offset += (size_t)length;
    }
}

int cic_gif_open(cic_decoder *decoder, uint64_t max_pixels, cic_image *info, char *message, size_t capacity) {
    cic_gif_reader r = {decoder->data, decoder->size, 6};
    if (r.size < 13) {
        cic_set_message(message, capacity, "the data ends inside the GIF screen descriptor");
        return CIC_ERROR_TRUNCATED;
    }
    uint32_t width = r.data[6] | (uint32_t)r.data[7] << 8, height = r.data[8] | (uint32_t)r.data[9] << 8;
    int flags = r.data[10];
    r.offset = 13;
    info->layout = CIC_LAYOUT_PALETTE8;
    for (int i = 0; i < 256; i++) info->palette[3 * i] = info->palette[3 * i + 1] = info->palette[3 * i + 2] = (uint8_t)i;
    info->palette_count = 256;
    int has_global = 0;
    if (flags & 0x80) {
        size_t entries = (size_t)1 << ((flags & 7) + 1);
        if (r.size - r.offset < entries * 3) {
            cic_set_message(message, capacity, "the data ends inside the global colour table");
            return CIC_ERROR_TRUNCATED;
        }
        memset(info->palette, 0, sizeof(info->palette));
        memcpy(info->palette, r.data + r.offset, entries * 3);
        info->palette_count = (int32_t)entries;
        r.offset += entries * 3;
        has_global = 1;
    }
    int transparency = -1;
    for (;;) {
        int kind = cic_gif_byte(&r);
        if (kind < 0 || kind == 0x3B) {
            cic_set_message(message, capacity, "no image in the GIF");
            return kind < 0 ? CIC_ERROR_TRUNCATED : CIC_ERROR_CORRUPT;
        }
        if (kind == 0x21) {
            int label = cic_gif_byte(&r);
            if (label == 0xF9 && r.offset < r.size && r.data[r.offset] >= 4 && r.size - r.offset >= 5) {
                const uint8_t *block = r.data + r.offset + 1;
                transparency = (block[0] & 1) ? block[3] : -1;
            }
            if (label < 0 || cic_gif_skip_blocks(&r) < 0) {
                cic_set_message(message, capacity, "the data ends inside a GIF extension");
                return CIC_ERROR_TRUNCATED;
            }
            continue;
        }
        if (kind != 0x2C) {
            snprintf(message, capacity, "unexpected GIF block 0x%02X", kind);
            return CIC_ERROR_CORRUPT;
        }
        if (r.size - r.offset < 9) {
            cic_set_message(message, capacity, "the data ends inside the GIF image descriptor");
            return CIC_ERROR_TRUNCATED;
        }
        const uint8_t *d = r.data + r.offset;
        uint32_t x0 = d[0] | (uint32_t)d[1] << 8, y0 = d[2] | (uint32_t)d[3] << 8;
        uint32_t w = d[4] | (uint32_t)d[5] << 8, h = d[6] | (uint32_t)d[7] << 8;
        int frame_flags = d[8];
        r.offset += 9;
        if (frame_flags & 0x80) {
            size_t entries = (size_t)1 << ((frame_flags & 7) + 1);
            if (r.size - r.offset < entries * 3) {
                cic_set_message(message, capacity, "the data ends inside the local colour table");
                return CIC_ERROR_TRUNCATED;
            }
            memset(info->palette, 0, sizeof(info->palette));
            memcpy(info->palette, r.data + r.offset, entries * 3);
            info->palette_count = (int32_t)entries;
            r.offset += entries * 3;
        } else if (!has_global) {
            info->layout = CIC_LAYOUT_PALETTE8; /* Pillow's "L": index = grey, the identity ramp above */
        }
        if (x0 + w > width) width = x0 + w;
        if (y0 + h > height) height = y0 + h;
        int size_status = cic_check_size(width, height, max_pixels, message, capacity);
        if (size_status != CIC_OK) return size_status;
        info->width = (int32_t)width;
        info->height = (int32_t)height;
        info->pixel_bytes = (size_t)width * height;
        if (transparency >= 0) {
            memset(info->palette_alpha, 255, sizeof(info->palette_alpha));
            info->palette_alpha[transparency] = 0;
            info->palette_alpha_count = 256;
        }
        decoder->gif_offset = r.offset;
        decoder->gif_frame[0] = x0;
        decoder->gif_frame[1] = y0;
        decoder->gif_frame[2] = w;
        decoder->gif_frame[3] = h;
        decoder->gif_interlaced = (frame_flags & 0x40) != 0;
        decoder->gif_fill = transparency >= 0 ? transparency : 0;
        return CIC_OK;
    }
}

int cic_gif_read(cic_decoder *decoder, cic_image *info, uint8_t *pixels, char *message, size_t capacity) {
    cic_gif_reader r = {decoder->data, decoder->size, decoder->gif_offset};
    memset(pixels, decoder->gif_fill, info->pixel_bytes);
    const uint32_t x0 = decoder->gif_frame[0], y0 = decoder->gif_frame[1];
    const uint32_t w = decoder->gif_frame[2], h = decoder->gif_frame[3];
    const size_t stride = (size_t)info->width;
    int min_bits = cic_gif_byte(&r);
    if (min_bits < 0) {
        cic_set_message(message, capacity, "the data ends before the GIF image data");
        return CIC_ERROR_TRUNCATED;
    }
    if (min_bits < 1 || min_bits > 11) {
        snprintf(message, capacity, "LZW minimum code size %d", min_bits);
        return CIC_ERROR_CORRUPT;
    }
    /* Code table as (prefix, suffix, length); strings are written back to front. */
    static const int limit = 4096;
    uint16_t *prefix = malloc(sizeof(uint16_t) * limit);
    uint8_t *suffix = malloc(limit), *stack = malloc(limit);
    uint16_t *length = malloc(sizeof(uint16_t) * limit);
    if (!prefix || !suffix || !stack || !length) {
        free(prefix); free(suffix); free(stack); free(length);
        cic_set_message(message, capacity, "no memory for the LZW table");
        return CIC_ERROR_OUT_OF_MEMORY;
    }
    const int clear = 1 << min_bits, end = clear + 1;
    for (int i = 0; i < clear; i++) { prefix[i] = 0; suffix[i] = (uint8_t)i; length[i] = 1; }
    int width = min_bits + 1, next = end + 1, previous = -1;
    uint32_t bits = 0;
    int bit_count = 0, block_left = 0, status = CIC_ERROR_TRUNCATED;
    size_t written = 0, total = (size_t)w * h;
    uint32_t row = 0, column = 0, pass = 0;
    static const uint32_t pass_start[4] = {0, 4, 2, 1}, pass_step[4] = {8, 8, 4, 2};
    const char *problem = "the data ends inside the GIF image data (image file is truncated)";
    for (;;) {
        while (bit_count < width) {
            if (block_left == 0) {
                block_left = cic_gif_byte(&r);
                if (block_left <= 0) goto done; /* end of data or of the sub-blocks without an end code */
                /* A sub-block the data cuts short is not decoded, even in part (Pillow waits for a
                 * whole one): the frame is truncated, though its pixels may all be in what is there. */
                if (r.size - r.offset < (size_t)block_left) goto done;
            }
            int byte = cic_gif_byte(&r);
            if (byte < 0) goto done;
            block_left--;
            bits |= (uint32_t)byte << bit_count;
            bit_count += 8;
        }
        int code = (int)(bits & ((1u << width) - 1));
        bits >>= width;
        bit_count -= width;
        if (code == clear) { width = min_bits + 1; next = end + 1; previous = -1; continue; }
        if (code == end) { status = CIC_OK; goto done; }
        int first;
        if (previous < 0) {
            if (code >= clear) { status = CIC_ERROR_CORRUPT; problem = "an LZW code before any string"; goto done; }
        } else if (code > next || (code == next && next >= limit)) {
            status = CIC_ERROR_CORRUPT; problem = "an LZW code past the table"; goto done;
        }
        int string = code == next ? previous : code;
        int count = length[string];
        for (int i = count - 1, c = string; i >= 0; i--, c = prefix[c]) stack[i] = suffix[c];
        first = stack[0];
        if (code == next) stack[count++] = (uint8_t)first;
        if (previous >= 0 && next < limit) {
            prefix[next] = (uint16_t)previous;
            suffix[next] = (uint8_t)first;
            length[next] = (uint16_t)(length[previous] + 1);
            next++;
            if (next == (1 << width) && width < 12) width++;
        }
        previous = code;
        for (int i = 0; i < count && written < total; i++, written++) {
            pixels[(y0 + row) * stride + x0 + column] = stack[i];
            if (++column == w) {
                column = 0;
                if (!decoder->gif_interlaced) {
                    row++;
                } else {
                    row += pass_step[pass];
                    while (row >= h && pass < 3) row = pass_start[++pass];
                }
            }
        }
        if (written == total) { status = CIC_OK; goto done; }
    }
done:
    free(prefix); free(suffix); free(stack); free(length);
    if (status != CIC_OK) cic_set_message(message, capacity, problem);
    return status;
}
