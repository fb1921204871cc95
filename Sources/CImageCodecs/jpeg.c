/*
 * JPEG through the libjpeg API of libjpeg-turbo, configured as Pillow's JpegDecode.c leaves it:
 * ISLOW inverse DCT, fancy upsampling, out_color_space from the component count (1 → grey "L",
 * 3 → RGB, 4 → CMYK read as "CMYK;I", i.e. inverted: Pillow's JpegImagePlugin always assumes Adobe
 * polarity). The default error handler calls exit(); a setjmp shim turns errors into return codes,
 * and the "premature end of data" warning into CIC_ERROR_TRUNCATED (Pillow raises "image file is
 * truncated" there). Other warnings are ignored, as Pillow ignores them.
 */
#include "internal.h"
#include <stdlib.h>
#include <jerror.h>

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

/* Called by libjpeg as it reads; stops a file with more than CIC_JPEG_MAX_SCANS scans. */
static void cic_jpeg_progress(j_common_ptr cinfo) {
    j_decompress_ptr decompress = (j_decompress_ptr)cinfo;
    if (decompress->input_scan_number > CIC_JPEG_MAX_SCANS) {
        cic_jpeg_error *error = (cic_jpeg_error *)cinfo->err;
        error->too_many_scans = 1;
        snprintf(error->text, sizeof error->text, "more than %d scans (a JPEG encoder writes about 10)", CIC_JPEG_MAX_SCANS);
        longjmp(error->jump, 1);
    }
}

/* The status for an error libjpeg raised. */
static int cic_jpeg_failure(cic_decoder *decoder, char *message, size_t capacity) {
    cic_set_message(message, capacity, decoder->jpeg_error.text);
    if (decoder->jpeg_error.too_many_scans) return CIC_ERROR_UNSUPPORTED;
    if (decoder->jpeg_error.pub.msg_code == JERR_EMPTY_IMAGE) return CIC_ERROR_ZERO_SIZE;
    if (decoder->jpeg_error.pub.msg_code == JERR_BAD_PRECISION) return CIC_ERROR_UNSUPPORTED;
    return decoder->jpeg_error.saw_eof ? CIC_ERROR_TRUNCATED : CIC_ERROR_CORRUPT;
}

int cic_jpeg_open(cic_decoder *decoder, uint64_t max_pixels, cic_image *info, char *message, size_t capacity) {
    struct jpeg_decompress_struct *cinfo = &decoder->jpeg;
    cinfo->err = jpeg_std_error(&decoder->jpeg_error.pub);
    decoder->jpeg_error.pub.error_exit = cic_jpeg_error_exit;
    decoder->jpeg_error.pub.emit_message = cic_jpeg_emit_message;
    decoder->jpeg_error.pub.output_message = cic_jpeg_output_message;
    if (setjmp(decoder->jpeg_error.jump)) return cic_jpeg_failure(decoder, message, capacity);
    jpeg_create_decompress(cinfo);
    decoder->jpeg_started = 1;
    decoder->jpeg_progress.progress_monitor = cic_jpeg_progress;
    cinfo->progress = &decoder->jpeg_progress;
    jpeg_mem_src(cinfo, (unsigned char *)decoder->data, (unsigned long)decoder->size);
    if (decoder->want_exif) jpeg_save_markers(cinfo, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(cinfo, TRUE);
    if (decoder->jpeg_error.saw_eof) {
        cic_set_message(message, capacity, "the data ends inside the JPEG header");
        return CIC_ERROR_TRUNCATED;
    }
    if (cinfo->data_precision != 8) {
        snprintf(message, capacity, "%d-bit samples (Pillow also reads only 8-bit JPEG)", cinfo->data_precision);
        return CIC_ERROR_UNSUPPORTED;
    }
    switch (cinfo->num_components) {
    case 1: cinfo->out_color_space = JCS_GRAYSCALE; info->layout = CIC_LAYOUT_GRAY8; break;
    case 3: cinfo->out_color_space = JCS_RGB; info->layout = CIC_LAYOUT_RGB8; break;
    case 4: cinfo->out_color_space = JCS_CMYK; info->layout = CIC_LAYOUT_CMYK8; break;
    default:
        snprintf(message, capacity, "%d colour components (expected 1, 3 or 4)", cinfo->num_components);
        return CIC_ERROR_UNSUPPORTED;
    }
    int size_status = cic_check_size(cinfo->image_width, cinfo->image_height, max_pixels, message, capacity);
    if (size_status != CIC_OK) return size_status;
    /* Memory in proportion to the pixels: a multi-scan (progressive) file keeps every coefficient,
     * 2 bytes a sample; libjpeg refuses to go past this (no backing store) instead of allocating what
     * a corrupt header's sampling factors ask. */
    cinfo->mem->max_memory_to_use = (long)((uint64_t)cinfo->image_width * cinfo->image_height * (uint64_t)cinfo->num_components * 2
                                           + (32u << 20));
    cinfo->dct_method = JDCT_ISLOW;
    cinfo->do_fancy_upsampling = TRUE;
    if (decoder->want_exif) {
        for (jpeg_saved_marker_ptr marker = cinfo->marker_list; marker != NULL; marker = marker->next) {
            if (marker->marker == JPEG_APP0 + 1 && marker->data_length >= 6 && memcmp(marker->data, "Exif\0\0", 6) == 0) {
                cic_store_exif(info, marker->data, marker->data_length);
                break;
            }
        }
    }
    info->width = (int32_t)cinfo->image_width;
    info->height = (int32_t)cinfo->image_height;
    info->pixel_bytes = (size_t)cinfo->image_width * cinfo->image_height * (size_t)cinfo->num_components;
    return CIC_OK;
}

int cic_jpeg_read(cic_decoder *decoder, cic_image *info, uint8_t *pixels, char *message, size_t capacity) {
    struct jpeg_decompress_struct *cinfo = &decoder->jpeg;
    if (setjmp(decoder->jpeg_error.jump)) return cic_jpeg_failure(decoder, message, capacity);
    jpeg_start_decompress(cinfo);
    size_t stride = (size_t)cinfo->output_width * (size_t)cinfo->output_components;
    if ((int32_t)cinfo->output_width != info->width || (int32_t)cinfo->output_height != info->height
        || stride * cinfo->output_height != info->pixel_bytes) {
        cic_set_message(message, capacity, "libjpeg's output size differs from the header's");
        return CIC_ERROR_CORRUPT;
    }
    while (cinfo->output_scanline < cinfo->output_height) {
        JSAMPROW rows[16];
        int count = 0;
        for (; count < 16 && cinfo->output_scanline + count < cinfo->output_height; count++)
            rows[count] = pixels + (size_t)(cinfo->output_scanline + count) * stride;
        jpeg_read_scanlines(cinfo, rows, (JDIMENSION)count);
    }
    if (decoder->jpeg_error.saw_eof) {
        cic_set_message(message, capacity, "the data ends before the last JPEG scan line (image file is truncated)");
        return CIC_ERROR_TRUNCATED;
    }
    /* A missing EOI marker after complete scans only warns; Pillow accepts such files too. */
    jpeg_finish_decompress(cinfo);
    if (info->layout == CIC_LAYOUT_CMYK8) {
        for (size_t i = 0; i < info->pixel_bytes; i++) pixels[i] = (uint8_t)(255 - pixels[i]);
    }
    return CIC_OK;
}

void cic_jpeg_close(cic_decoder *decoder) {
    if (decoder->jpeg_started) jpeg_destroy_decompress(&decoder->jpeg);
}
