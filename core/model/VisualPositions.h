#pragma once
// Where the language model sees the visual tokens (DESIGN §2, token scaling).
// Before any scaling token t of the image sits at position t. Scaling splits
// a window into f x f children; numbering them consecutively would move every
// token the LM learned to read in pre-training, and every text token after
// them, so the model would have to learn to read again. Instead a scale keeps
// the positions of the layout it was pre-trained on: the children of window
// w's query k sit at w*q + k + c/f^2 (c: the child's rank in its parent), and
// text after the image starts where it did in pre-training. A scale that
// token scaling adds as a split copy of another takes that scale's block the
// same way, so it moves no position either.

#include "ModelConfig.h"

#include <torch/torch.h>

namespace cosw {

struct VisualPositions {
    torch::Tensor offsets; // [T_vis] float: each visual token's position after the image's first
    int64_t span = 0;      // positions the image takes: the text after it starts span later
};

VisualPositions visualPositions(const ModelConfig &config);

} // namespace cosw
