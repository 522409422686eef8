// Trains a SentencePiece model with the library itself, for suites that
// link LibTorch and so cannot link the library (its protobuf runtime
// clashes with LibTorch's):
//   spm-train CORPUS PREFIX [--option=value ...]  ->  PREFIX.model
// Exit status 1 with the library's message when training fails.

#include <sentencepiece_trainer.h>

#include <iostream>
#include <string>

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::cerr << "usage: spm-train CORPUS PREFIX [--option=value ...]\n";
        return 2;
    }
    std::string args = std::string("--input=") + argv[1] + " --model_prefix=" + argv[2] + " --minloglevel=2 --num_threads=1";
    for (int i = 3; i < argc; ++i)
        args += std::string(" ") + argv[i];
    const auto status = sentencepiece::SentencePieceTrainer::Train(args);
    if (!status.ok()) {
        std::cerr << "spm-train: " << status.ToString() << "\n";
        return 1;
    }
    return 0;
}
