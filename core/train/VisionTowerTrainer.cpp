#include "VisionTowerTrainer.h"

#include "LossReadback.h"
#include "LrSchedule.h"
#include "StageCache.h"
#include "data/GridCells.h"
#include "io/AtomicDirectory.h"
#include "model/Gradients.h"
#include "data/ImagePipeline.h"
#include "base/CrashPoints.h"
#include "base/Device.h"
#include "base/Errors.h"
#include "base/Files.h"
#include "base/Messages.h"
#include "model/Autocast.h"
#include "model/Mllm.h"
#include "model/VisionTower.h"
#include "optim/FusedAdamW.h"
#include "optim/GradientClip.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <set>

namespace fs = std::filesystem;

namespace cosw {

namespace {

constexpr int64_t kEmptyClass = 10; // classes 0..9 are items

// The tower's labels: item classes 0..9, kEmptyClass for an empty cell.
std::vector<int64_t> cellLabels(const GridCellImage &image)
{
    std::vector<int64_t> labels;
    for (int c : image.cells)
        labels.push_back(c < 0 ? kEmptyClass : c);
    return labels;
}

} // namespace

std::vector<int> towerResolutions(const RunConfig &run, size_t visionStage)
{
    std::set<int> resolutions;
    for (size_t j = visionStage; j < run.stages.size(); ++j)
        resolutions.insert(run.stageModels[j].vision.imageSize);
    return {resolutions.begin(), resolutions.end()};
}

VisionTowerTrainer::VisionTowerTrainer(const ModelConfig &model, const StageConfig &stage,
                                       const std::string &cellsJson, std::vector<int> resolutions,
                                       const std::string &dataIdentity, bool skipBadImages)
    : m_model(model), m_stage(stage), m_cellsJson(cellsJson), m_resolutions(std::move(resolutions)),
      m_skipBadImages(skipBadImages)
{
    // Everything that changes the trained tower goes into the key; the run's
    // name, the LM and the connector do not.
    Json key = Json::object();
    const Json modelJson = model.toJson();
    key["vision"] = modelJson.at("vision");
    const Json stageJson = stage.toJson();
    for (const char *field : {"steps", "batch_size", "lr", "warmup_steps", "min_lr_ratio", "weight_decay", "grad_clip", "seed"})
        key[field] = stageJson.at(field);
    key["init"] = kInitScheme;
    if (stage.precision == "bf16") // fp32 towers keep the entries they always had
        key["precision"] = stage.precision;
    Json res = Json::array();
    for (int r : m_resolutions)
        res.push_back(r);
    key["resolutions"] = res;
    key["data"] = dataIdentity;
    // A tower that saw replaced images is not the whole set's; towers
    // trained without skipping keep the entries they always had.
    if (skipBadImages)
        key["skip_bad_images"] = true;
    m_key = contentHash(key.dump());
}

std::string VisionTowerTrainer::cacheDir() const
{
    return (fs::path(cacheRoot()) / "vision-towers" / m_key).string();
}

VisionTowerResult VisionTowerTrainer::run(const StateDict &initial, const torch::Device &device,
                                          const TrainingEventSink &events, const std::atomic<bool> &stop)
{
    VisionTowerResult result;
    result.cacheDir = cacheDir();
    const std::string weightsFile = (fs::path(result.cacheDir) / "vision.safetensors").string();
    const std::string accuracyFile = (fs::path(result.cacheDir) / "cell_accuracy.json").string();
    if (fs::exists(weightsFile)) {
        result.weights = readSafetensors(weightsFile);
        result.cached = true;
        result.steps = m_stage.steps; // an entry is published once all its steps are done
        if (fs::exists(accuracyFile)) {
            const Json saved = parseJsonFile(accuracyFile);
            for (const auto &[resolution, accuracy] : saved.at("accuracy").items())
                result.cellAccuracy[std::stoi(resolution)] = accuracy.get<double>();
            result.cellsEvaluated = saved.at("cells").get<int64_t>();
        }
        return result;
    }

    const std::vector<GridCellImage> images = readGridCells(m_cellsJson, "train");
    const int64_t grid = images.front().side;

    torch::manual_seed(m_stage.seed);
    VisionTower tower(m_model.vision);
    {
        torch::NoGradGuard noGrad;
        for (auto &p : tower->named_parameters()) {
            auto it = initial.find("vision." + p.key());
            if (it != initial.end())
                p.value().copy_(it->second);
        }
    }
    // The head reads every feature level the connector will.
    const int64_t width = int64_t(m_model.vision.width) * m_model.vision.featureLevels();
    torch::nn::Linear head(width, kEmptyClass + 1);
    tower->to(device);
    head->to(device);
    auto cellLogits = [&](const torch::Tensor &x) {             // x [B, ch, R, R]
        auto features = tower(x).permute({0, 3, 1, 2});           // [B, C, n, n]
        auto pooled = torch::adaptive_avg_pool2d(features, {grid, grid}) // [B, C, G, G]
                          .permute({0, 2, 3, 1})
                          .reshape({-1, width});                  // [B*G*G, K*C]
        return head(pooled);                                      // [B*G*G, 11]
    };
    std::vector<torch::Tensor> params = tower->parameters();
    for (const auto &p : head->parameters())
        params.push_back(p);
    FusedAdamW optimizer(params, torch::optim::AdamWOptions(m_stage.lr).weight_decay(m_stage.weightDecay));

    std::mt19937_64 rng(m_stage.seed);
    const int64_t total = m_stage.steps;
    const int64_t interval = readBackInterval(m_stage.logInterval, device);
    double wall = 0, lastLoss = 0;
    // Cells classified right since the last report: counted on the device,
    // read back only when reported.
    torch::Tensor correct = torch::zeros({}, torch::TensorOptions().dtype(torch::kLong).device(device));
    int64_t seen = 0;
    // Steps reported: every 10th and the last; a group of read-backs ends at each.
    const auto reported = [total](int64_t s) { return s % 10 == 0 || s == total; };
    LossReadback pending;
    auto readBack = [&] {
        for (const LossReadback::Step &s : pending.take(nullptr)) {
            if (!std::isfinite(s.loss))
                throw std::runtime_error(fill(msg("vision tower training diverged at step %1"), {std::to_string(s.step)}));
            wall += s.seconds;
            lastLoss = s.loss;
            if (!events || !reported(s.step))
                continue;
            TrainingEvent e;
            e.kind = "step";
            e.step = s.step;
            e.totalSteps = total;
            e.loss = s.loss;
            e.lr = s.lr;
            e.samplesPerSecond = double(m_stage.batchSize * s.step) / std::max(wall, 1e-9);
            e.etaSeconds = wall / double(s.step) * double(total - s.step);
            e.data = Json::object();
            e.data["cell_accuracy"] = seen ? double(correct.item<int64_t>()) / double(seen) : 0.0;
            events(e);
            correct.zero_();
            seen = 0;
        }
    };
    int64_t step = 0;
    for (; step < total && !stop; ++step) {
        const auto start = std::chrono::steady_clock::now();
        const int resolution = m_resolutions[static_cast<size_t>(step) % m_resolutions.size()];
        std::vector<torch::Tensor> batchImages, batchCells;
        for (int b = 0; b < m_stage.batchSize; ++b) {
            size_t pick = rng() % images.size();
            if (m_skipBadImages) {
                const size_t wanted = pick;
                batchImages.push_back(loadReadableImage(
                    pick, images.size(), [&](size_t i) { return images[i].path; }, resolution,
                    m_model.vision.channels, m_cellsJson));
                result.replacedImages += pick != wanted ? 1 : 0;
            } else {
                batchImages.push_back(loadImage(images[pick].path, resolution, m_model.vision.channels));
            }
            batchCells.push_back(torch::tensor(cellLabels(images[pick]), torch::kLong));
        }
        auto x = toDevice(torch::stack(batchImages), device);             // [B, ch, R, R]
        auto target = toDevice(torch::stack(batchCells), device).view(-1); // [B*G*G]
        torch::Tensor logits, loss;
        {
            AutocastGuard autocast(m_stage.precision == "bf16", device);
            logits = cellLogits(x);                                        // [B*G*G, 11]
            loss = torch::nn::functional::cross_entropy(logits, target);
        }
        const double lr = learningRate(m_stage, step, total);
        for (auto &group : optimizer.param_groups())
            static_cast<torch::optim::AdamWOptions &>(group.options()).lr(lr);
        releaseGradients(optimizer);
        loss.backward();
        if (m_stage.gradClip > 0)
            clipGradientNorm(params, m_stage.gradClip);
        optimizer.step();
        correct += logits.argmax(1).eq(target).sum();
        seen += target.size(0);
        pending.add(step + 1, loss, lr, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        if ((step + 1) % interval == 0 || reported(step + 1))
            readBack();
    }
    readBack(); // the steps before a stop

    for (const auto &p : tower->named_parameters())
        result.weights["vision." + p.key()] = p.value().detach().cpu();
    result.steps = step;
    result.wallSeconds = wall;
    result.finalLoss = lastLoss;
    if (step == total) {
        // Held-out cells: what the frozen tower can tell the connector.
        const std::vector<GridCellImage> held = readGridCells(m_cellsJson, "test");
        torch::NoGradGuard noGrad;
        tower->eval();
        for (int resolution : m_resolutions) {
            torch::Tensor right = torch::zeros({}, torch::TensorOptions().dtype(torch::kLong).device(device));
            int64_t all = 0;
            for (size_t start = 0; start < held.size(); start += 32) {
                std::vector<torch::Tensor> batchImages, batchCells;
                for (size_t i = start; i < std::min(held.size(), start + 32); ++i) {
                    batchImages.push_back(loadImage(held[i].path, resolution, m_model.vision.channels));
                    batchCells.push_back(torch::tensor(cellLabels(held[i]), torch::kLong));
                }
                auto target = toDevice(torch::stack(batchCells), device).view(-1); // [b*G*G]
                right += cellLogits(toDevice(torch::stack(batchImages), device)).argmax(1).eq(target).sum();
                all += target.size(0);
            }
            result.cellAccuracy[resolution] = all ? double(right.item<int64_t>()) / double(all) : 0.0;
            result.cellsEvaluated = all;
        }

        writeDirectoryAtomically(result.cacheDir, [&](const std::string &staging) {
            const fs::path tmp(staging);
            writeSafetensors((tmp / "vision.safetensors").string(), result.weights, {{"format", "pt"}});
            writeTextFile((tmp / "key.txt").string(), m_key + "\n");
            crashPoint("cache"); // the weights written, the accuracy not yet
            Json accuracy = Json::object();
            for (const auto &[resolution, value] : result.cellAccuracy)
                accuracy[std::to_string(resolution)] = value;
            Json saved = Json::object();
            saved["accuracy"] = accuracy;
            saved["cells"] = result.cellsEvaluated;
            writeTextFile((tmp / "cell_accuracy.json").string(), saved.dump(2) + "\n");
        }, WhenPresent::KeepOther); // another run that trained the same tower published it first
    }
    return result;
}

} // namespace cosw
