#pragma once
// What a stage's kind (vision | text | pretrain | finetune) sees, for every
// place that shows or counts a stage's image and visual tokens. Free of
// LibTorch headers, for the widgets.

#include <string>

namespace cosw {

// A text stage sees no image.
bool stageSeesImage(const std::string &kind);
// A vision stage trains the tower alone, before any connector or language
// model: it sees images but makes no visual tokens. Pre-training and
// fine-tuning stages make them.
bool stageHasVisualTokens(const std::string &kind);

} // namespace cosw
