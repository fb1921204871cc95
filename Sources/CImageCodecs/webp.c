/*
 * WebP through libwebp. Pillow's WebPImagePlugin decodes with WebPAnimDecoder in MODE_RGBA
 * (mode "RGBA" when the file has alpha, else "RGBX" shown as "RGB"); the first frame of that decoder
 * is a plain WebPDecode into a cleared canvas, which is what this file does for still images. For
 * animations the first frame comes from WebPAnimDecoder itself.
 */
#include "internal.h"
#include <stdlib.h>
#include <webp/decode.h>
#include <webp/demux.h>

static int cic_webp_status(VP8StatusCode code) {
    switch (code) {
    case VP8_STATUS_OK: return CIC_OK;
    case VP8_STATUS_NOT_ENOUGH_DATA: return CIC_ERROR_TRUNCATED;
    case VP8_STATUS_OUT_OF_MEMORY: return CIC_ERROR_OUT_OF_MEMORY;
    case VP8_STATUS_UNSUPPORTED_FEATURE: return CIC_ERROR_UNSUPPORTED;
    default: return CIC_ERROR_CORRUPT;
    }
}

static const char *cic_webp_text(VP8StatusCode code) {
    switch (code) {
    case VP8_STATUS_NOT_ENOUGH_DATA: return "libwebp: not enough data";
    case VP8_STATUS_OUT_OF_MEMORY: return "libwebp: out of memory";
    case VP8_STATUS_UNSUPPORTED_FEATURE: return "libwebp: unsupported feature";
    case VP8_STATUS_INVALID_PARAM: return "libwebp: invalid parameter";
    case VP8_STATUS_BITSTREAM_ERROR: return "libwebp: bitstream error";
    case VP8_STATUS_SUSPENDED: return "libwebp: suspended";
    case VP8_STATUS_USER_ABORT: return "libwebp: aborted";
    default: return "libwebp: error";
    }
}

static void cic_webp_take_exif(const uint8_t *data, size_t size, cic_image *out) {
    WebPData bytes = {data, size};
    WebPDemuxer *demux = WebPDemux(&bytes);
    if (demux == NULL) return;
    WebPChunkIterator chunk;
    if (WebPDemuxGetChunk(demux, "EXIF", 1, &chunk)) {
        cic_store_exif(out, chunk.chunk.bytes, chunk.chunk.size);
        WebPDemuxReleaseChunkIterator(&chunk);
    }
    WebPDemuxDelete(demux);
}

static int cic_webp_first_frame(const uint8_t *data, size_t size, cic_image *out, char *message,
                                size_t capacity) {
    WebPData bytes = {data, size};
    WebPAnimDecoderOptions options;
    WebPAnimDecoderOptionsInit(&options);
    options.color_mode = MODE_RGBA;
    options.use_threads = 0;
    WebPAnimDecoder *decoder = WebPAnimDecoderNew(&bytes, &options);
    if (decoder == NULL) {
        cic_set_message(message, capacity, "libwebp: the animation could not be opened");
        return CIC_ERROR_CORRUPT;
    }
    uint8_t *frame = NULL;
    int timestamp = 0;
    size_t total = (size_t)out->width * out->height * 4;
    int status = CIC_OK;
    if (!WebPAnimDecoderGetNext(decoder, &frame, &timestamp) || frame == NULL) {
        cic_set_message(message, capacity, "libwebp: the first frame could not be decoded");
        status = CIC_ERROR_CORRUPT;
    } else if ((out->pixels = malloc(total)) == NULL) {
        status = CIC_ERROR_OUT_OF_MEMORY;
    } else {
        memcpy(out->pixels, frame, total);
        out->pixel_bytes = total;
        out->layout = CIC_LAYOUT_RGBA8;
    }
    WebPAnimDecoderDelete(decoder);
    return status;
}

int cic_decode_webp(const uint8_t *data, size_t size, uint64_t max_pixels, int want_exif, cic_image *out,
                    char *message, size_t capacity) {
    out->format = CIC_FORMAT_WEBP;
    WebPDecoderConfig config;
    if (!WebPInitDecoderConfig(&config)) {
        cic_set_message(message, capacity, "libwebp: version mismatch");
        return CIC_ERROR_UNSUPPORTED;
    }
    VP8StatusCode code = WebPGetFeatures(data, size, &config.input);
    if (code != VP8_STATUS_OK) {
        cic_set_message(message, capacity, cic_webp_text(code));
        return cic_webp_status(code);
    }
    int size_status = cic_check_size((uint64_t)config.input.width, (uint64_t)config.input.height, max_pixels, message, capacity);
    if (size_status != CIC_OK) return size_status;
    out->width = config.input.width;
    out->height = config.input.height;
    if (want_exif) cic_webp_take_exif(data, size, out);
    if (config.input.has_animation) return cic_webp_first_frame(data, size, out, message, capacity);

    int channels = config.input.has_alpha ? 4 : 3;
    size_t stride = (size_t)out->width * channels;
    size_t total = stride * out->height;
    out->pixels = malloc(total);
    if (out->pixels == NULL) {
        cic_set_message(message, capacity, "no memory for the pixels");
        return CIC_ERROR_OUT_OF_MEMORY;
    }
    config.output.colorspace = channels == 4 ? MODE_RGBA : MODE_RGB;
    config.output.is_external_memory = 1;
    config.output.u.RGBA.rgba = out->pixels;
    config.output.u.RGBA.stride = (int)stride;
    config.output.u.RGBA.size = total;
    code = WebPDecode(data, size, &config);
    WebPFreeDecBuffer(&config.output);
    if (code != VP8_STATUS_OK) {
        cic_set_message(message, capacity, cic_webp_text(code));
        return cic_webp_status(code);
    }
    out->pixel_bytes = total;
    out->layout = channels == 4 ? CIC_LAYOUT_RGBA8 : CIC_LAYOUT_RGB8;
    return CIC_OK;
}
