"""Named activations of a transformers CLIPModel, with the names the Swift tests use.

Helper of generate_models.py. Names mirror the modules of modeling_clip.py:
text.embeddings, text.encoder.layers.{i}, text.final_layer_norm, text.pooled, text.embeds,
text.embeds_normalized, vision.embeddings, vision.pre_layrnorm, vision.encoder.layers.{i},
vision.pooled (post_layernorm of token 0), vision.embeds, vision.embeds_normalized, logits_per_image.
"""
import contextlib

import torch


@contextlib.contextmanager
def recording(modules):
    """Forward hooks storing each named module's output in the yielded dict."""
    store = {}
    handles = []
    for name, module in modules.items():
        def hook(_module, _inputs, output, name=name):
            tensor = output[0] if isinstance(output, tuple) else output
            store[name] = tensor.detach().clone()
        handles.append(module.register_forward_hook(hook))
    try:
        yield store
    finally:
        for handle in handles:
            handle.remove()


def text_modules(model):
    text = model.text_model
    modules = {"text.embeddings": text.embeddings, "text.final_layer_norm": text.final_layer_norm}
    for i, layer in enumerate(text.encoder.layers):
        modules[f"text.encoder.layers.{i}"] = layer
    return modules


def vision_modules(model):
    vision = model.vision_model
    modules = {
        "vision.embeddings": vision.embeddings,
        "vision.pre_layrnorm": vision.pre_layrnorm,
        "vision.pooled": vision.post_layernorm,
    }
    for i, layer in enumerate(vision.encoder.layers):
        modules[f"vision.encoder.layers.{i}"] = layer
    return modules


@torch.no_grad()
def trace_text(model, ids):
    """Activations of one unpadded token sequence (batch 1), batch dimension dropped."""
    input_ids = torch.tensor([ids], dtype=torch.long)
    with recording(text_modules(model)) as store:
        out = model.text_model(input_ids=input_ids)
    store["text.pooled"] = out.pooler_output
    embeds = model.get_text_features(input_ids=input_ids).pooler_output
    store["text.embeds"] = embeds
    store["text.embeds_normalized"] = embeds / embeds.norm(dim=-1, keepdim=True)
    return {name: value[0].contiguous() for name, value in store.items()}


@torch.no_grad()
def trace_vision(model, pixel_values):
    """Activations of a batch of images, `[n, ...]`."""
    with recording(vision_modules(model)) as store:
        embeds = model.get_image_features(pixel_values=pixel_values).pooler_output
    store["vision.embeds"] = embeds
    store["vision.embeds_normalized"] = embeds / embeds.norm(dim=-1, keepdim=True)
    return {name: value.contiguous() for name, value in store.items()}


@torch.no_grad()
def logits_per_image(model, sequences, pixel_values):
    """`CLIPModel.forward(...).logits_per_image`, one text at a time (unpadded): `[images, texts]`."""
    columns = []
    for ids in sequences:
        out = model(input_ids=torch.tensor([ids], dtype=torch.long), pixel_values=pixel_values)
        columns.append(out.logits_per_image[:, 0])
    return torch.stack(columns, dim=1).contiguous()
