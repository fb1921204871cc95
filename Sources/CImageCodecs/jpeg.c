/*
 * JPEG through the libjpeg API of libjpeg-turbo, configured as Pillow's JpegDecode.c leaves it:
 * ISLOW inverse DCT, fancy upsampling, out_color_space from the component count (1 → grey "L",
 * 3 → RGB, 4 → CMYK read as "CMYK;I", i.e. inverted). The default error handler calls exit(); a
 * setjmp shim turns errors into return codes, and the "premature end of data" warning into
 * CIC_ERROR_TRUNCATED (Pillow raises "image file is truncated" there). Other warnings are ignored,
 * as Pillow ignores them.
 */
#include "internal.h"
#include <setjmp.h>
#include <stdlib.h>
#include <jpeglib.h>
#include <jerror.h>

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    int saw_eof;
    char text[JMSG_LENGTH_MAX];
} cic_jpeg_error;

static void cic_jpeg_error_exit(j_common_ptr cinfo) {
    cic_jpeg_error *error = (cic_jpeg_error *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, error->text);
    longjmp(error->jump, 1);
}

static void cic_jpeg_emit_message(j_common_ptr cinfo, int level) {
    cic_jpeg_error *error = (cic_jpeg_error *)cinfo->err;
    if (level < 0) {
        if (cinfo->err->msg_code == JWRN_JPEG_EOF) error->saw_eof = 1;
        cinfo->err->num_warnings++;
    }
}

static void cic_jpeg_output_message(j_common_ptr cinfo) { (void)cinfo; }

int cic_decode_jpeg(const uint8_t *data, size_t size, uint64_t max_pixels, int want_exif, cic_image *out,
                    char *message, size_t capacity) {
    struct jpeg_decompress_struct cinfo;
    cic_jpeg_error error;
    memset(&error, 0, sizeof(error));
    out->format = CIC_FORMAT_JPEG;
    cinfo.err = jpeg_std_error(&error.pub);
    error.pub.error_exit = cic_jpeg_error_exit;
    error.pub.emit_message = cic_jpeg_emit_message;
    error.pub.output_message = cic_jpeg_output_message;
    /* Written between setjmp and longjmp: keep them in memory. */
    volatile int status = CIC_OK;
    uint8_t *volatile row_buffer = NULL;

    if (setjmp(error.jump)) {
        if (status == CIC_OK) status = error.saw_eof ? CIC_ERROR_TRUNCATED : CIC_ERROR_CORRUPT;
        if (error.pub.msg_code == JERR_EMPTY_IMAGE) status = CIC_ERROR_ZERO_SIZE;
        cic_set_message(message, capacity, error.text);
        free(row_buffer);
        jpeg_destroy_decompress(&cinfo);
        return status;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, (unsigned char *)data, (unsigned long)size);
    if (want_exif) jpeg_save_markers(&cinfo, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(&cinfo, TRUE);
    if (error.saw_eof) {
        cic_set_message(message, capacity, "the data ends inside the JPEG header");
        jpeg_destroy_decompress(&cinfo);
        return CIC_ERROR_TRUNCATED;
    }
    if (cinfo.data_precision != 8) {
        snprintf(message, capacity, "%d-bit samples (Pillow also reads only 8-bit JPEG)", cinfo.data_precision);
        jpeg_destroy_decompress(&cinfo);
        return CIC_ERROR_UNSUPPORTED;
    }
    int channels = cinfo.num_components;
    switch (channels) {
    case 1: cinfo.out_color_space = JCS_GRAYSCALE; out->layout = CIC_LAYOUT_GRAY8; break;
    case 3: cinfo.out_color_space = JCS_RGB; out->layout = CIC_LAYOUT_RGB8; break;
    case 4: cinfo.out_color_space = JCS_CMYK; out->layout = CIC_LAYOUT_CMYK8; break;
    default:
        snprintf(message, capacity, "%d colour components (expected 1, 3 or 4)", channels);
        jpeg_destroy_decompress(&cinfo);
        return CIC_ERROR_UNSUPPORTED;
    }
    int size_status = cic_check_size(cinfo.image_width, cinfo.image_height, max_pixels, message, capacity);
    if (size_status != CIC_OK) {
        jpeg_destroy_decompress(&cinfo);
        return size_status;
    }
    cinfo.dct_method = JDCT_ISLOW;
    cinfo.do_fancy_upsampling = TRUE;
    if (want_exif) {
        for (jpeg_saved_marker_ptr marker = cinfo.marker_list; marker != NULL; marker = marker->next) {
            if (marker->marker == JPEG_APP0 + 1 && marker->data_length >= 6 && memcmp(marker->data, "Exif\0\0", 6) == 0) {
                cic_store_exif(out, marker->data, marker->data_length);
                break;
            }
        }
    }
    jpeg_start_decompress(&cinfo);
    size_t stride = (size_t)cinfo.output_width * (size_t)cinfo.output_components;
    size_t total = stride * cinfo.output_height;
    row_buffer = malloc(total);
    if (row_buffer == NULL) {
        cic_set_message(message, capacity, "no memory for the pixels");
        jpeg_destroy_decompress(&cinfo);
        return CIC_ERROR_OUT_OF_MEMORY;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW rows[8];
        int count = 0;
        for (; count < 8 && cinfo.output_scanline + count < cinfo.output_height; count++)
            rows[count] = row_buffer + (size_t)(cinfo.output_scanline + count) * stride;
        jpeg_read_scanlines(&cinfo, rows, (JDIMENSION)count);
    }
    if (error.saw_eof) {
        cic_set_message(message, capacity, "the data ends before the last JPEG scan line (image file is truncated)");
        free(row_buffer);
        jpeg_destroy_decompress(&cinfo);
        return CIC_ERROR_TRUNCATED;
    }
    /* A missing EOI marker after complete scans only warns; Pillow accepts such files too. */
    jpeg_finish_decompress(&cinfo);
    out->width = (int32_t)cinfo.output_width;
    out->height = (int32_t)cinfo.output_height;
    jpeg_destroy_decompress(&cinfo);
    if (out->layout == CIC_LAYOUT_CMYK8) {
        for (size_t i = 0; i < total; i++) row_buffer[i] = (uint8_t)(255 - row_buffer[i]);
    }
    out->pixels = row_buffer;
    out->pixel_bytes = total;
    return CIC_OK;
}
