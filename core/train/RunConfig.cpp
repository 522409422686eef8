#include "RunConfig.h"

#include "YamlLoader.h"
#include "base/ConfigReader.h"
#include "base/Errors.h"
#include "base/Numbers.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace cosw {

double StageConfig::dataWeight() const
{
    double rest = 1.0;
    for (const auto &m : mix)
        rest -= m.second;
    return rest;
}

TurnLayout StageConfig::turnLayout() const
{
    return turns == "independent" ? TurnLayout::Independent : TurnLayout::Conversation;
}

Json StageConfig::toJson() const
{
    Json sj = Json::object();
    sj["name"] = name;
    sj["kind"] = kind;
    sj["data"] = data;
    sj["evaluate"] = evaluate;
    sj["steps"] = steps;
    sj["epochs"] = epochs;
    sj["batch_size"] = batchSize;
    sj["grad_accum"] = gradAccum;
    sj["lr"] = lr;
    sj["warmup_steps"] = warmupSteps;
    sj["min_lr_ratio"] = minLrRatio;
    sj["weight_decay"] = weightDecay;
    sj["grad_clip"] = gradClip;
    Json parts = Json::array();
    for (const auto &p : train)
        parts.push_back(p);
    sj["train"] = parts;
    Json mixed = Json::array();
    for (const auto &[file, weight] : mix) {
        Json m = Json::object();
        m["data"] = file;
        m["weight"] = weight;
        mixed.push_back(m);
    }
    sj["mix"] = mixed;
    Json scales = Json::object();
    for (const auto &[part, scale] : lrScale)
        scales[part] = scale;
    sj["lr_scale"] = scales;
    sj["scaling"] = scaling.toJson();
    sj["eval_interval"] = evalInterval;
    sj["checkpoint_interval"] = checkpointInterval;
    sj["precision"] = precision;
    sj["turns"] = turns;
    sj["device"] = device;
    sj["seed"] = static_cast<int64_t>(seed);
    return sj;
}

std::vector<std::string> StageConfig::dataFiles() const
{
    std::vector<std::string> files{data};
    for (const auto &m : mix)
        files.push_back(m.first);
    return files;
}

static StageConfig readStage(ConfigReader &r, size_t index)
{
    StageConfig s;
    s.name = r.getString("name", "stage" + std::to_string(index));
    s.kind = r.getChoice("kind", s.kind, {"vision", "text", "pretrain", "finetune"});
    s.data = r.getString("data", s.kind == "vision" ? "cells.json" : s.kind + ".json");
    s.evaluate = r.getBool("evaluate", s.kind == "finetune");
    s.steps = r.getInt("steps", 0);
    s.epochs = r.getInt("epochs", 0);
    s.batchSize = r.getInt("batch_size", s.batchSize);
    s.gradAccum = r.getInt("grad_accum", s.gradAccum);
    s.lr = r.getDouble("lr", s.lr);
    s.warmupSteps = r.getInt("warmup_steps", s.warmupSteps);
    s.minLrRatio = r.getDouble("min_lr_ratio", s.minLrRatio);
    s.weightDecay = r.getDouble("weight_decay", s.weightDecay);
    s.gradClip = r.getDouble("grad_clip", s.gradClip);
    // A text stage has no image: only the language model can learn from it.
    s.train = r.getStringList("train", s.kind == "text" ? std::vector<std::string>{"lm"} : s.train);
    s.evalInterval = r.getInt("eval_interval", s.evalInterval);
    s.checkpointInterval = r.getInt("checkpoint_interval", s.checkpointInterval);
    s.precision = r.getChoice("precision", s.precision, {"auto", "fp32", "bf16"});
    s.turns = r.getChoice("turns", s.turns, {"conversation", "independent"});
    s.device = r.getString("device", s.device);
    s.seed = static_cast<uint64_t>(r.getInt64("seed", 0));

    if (s.steps < 0)
        r.fail("steps", "must not be negative");
    if (s.epochs < 0)
        r.fail("epochs", "must not be negative");
    if ((s.steps > 0) == (s.epochs > 0))
        r.fail(s.steps > 0 ? "epochs" : "steps", "set exactly one of steps or epochs to a positive number");
    if (s.batchSize < 1)
        r.fail("batch_size", "must be positive, got " + std::to_string(s.batchSize));
    if (s.gradAccum < 1)
        r.fail("grad_accum", "must be positive, got " + std::to_string(s.gradAccum));
    if (!(s.lr > 0))
        r.fail("lr", "must be positive");
    if (s.warmupSteps < 0)
        r.fail("warmup_steps", "must not be negative");
    if (s.minLrRatio < 0 || s.minLrRatio > 1)
        r.fail("min_lr_ratio", "must lie in [0, 1]");
    if (s.weightDecay < 0)
        r.fail("weight_decay", "must not be negative");
    if (s.gradClip < 0)
        r.fail("grad_clip", "must not be negative (0 turns clipping off)");
    if (s.evalInterval < 0)
        r.fail("eval_interval", "must not be negative");
    if (s.checkpointInterval < 0)
        r.fail("checkpoint_interval", "must not be negative");
    if (s.data.empty())
        r.fail("data", "name the stage's dataset file");
    if (s.train.empty())
        r.fail("train", "name at least one of vision, connector, lm");
    std::set<std::string> seen;
    for (const auto &part : s.train) {
        if (part != "vision" && part != "connector" && part != "lm")
            r.fail("train", "'" + part + "' is not one of vision, connector, lm");
        if (s.kind == "text" && part != "lm")
            r.fail("train", "a text stage sees no image, so '" + part + "' cannot learn in it; train lm only");
        if (!seen.insert(part).second)
            r.fail("train", "'" + part + "' is listed twice");
    }
    if (const Json *mix = r.child("mix")) {
        if (!mix->is_array())
            r.fail("mix", "expected a list of {data, weight}");
        double shares = 0;
        for (size_t i = 0; i < mix->size(); ++i) {
            const Json &entry = mix->at(i);
            ConfigReader mr(entry, r.source(), childKeyPath(r.keyPath("mix"), i));
            const std::string file = mr.getString("data", "");
            const double weight = mr.getDouble("weight", 0);
            mr.finish();
            if (file.empty())
                mr.fail("data", "name the dataset file to mix in");
            if (file == s.data || std::any_of(s.mix.begin(), s.mix.end(), [&](const auto &m) { return m.first == file; }))
                mr.fail("data", "'" + file + "' is already drawn from in this stage");
            if (!(weight > 0 && weight < 1))
                mr.fail("weight", "must be a share of the batches in (0, 1), got " + formatReal(weight));
            shares += weight;
            s.mix.emplace_back(file, weight);
        }
        if (!(shares < 1))
            r.fail("mix", "the shares add up to " + formatReal(shares) + ", leaving nothing for '" + s.data + "'");
    }
    if (const Json *scales = r.child("lr_scale")) {
        ConfigReader sr(*scales, r.source(), r.keyPath("lr_scale"));
        for (const char *part : {"vision", "connector", "lm"}) {
            if (!sr.has(part))
                continue;
            const double scale = sr.getDouble(part, 1.0);
            if (!(scale > 0) || !std::isfinite(scale))
                sr.fail(part, "must be a positive multiplier of lr, got " + formatReal(scale));
            s.lrScale[part] = scale;
        }
        sr.finish();
    }
    if (s.device != "cpu" && s.device.rfind("cuda", 0) != 0)
        r.fail("device", "'" + s.device + "' is not cpu, cuda or cuda:N");
    return s;
}

static DataConfig readData(ConfigReader &r)
{
    DataConfig d;
    d.dir = r.getString("dir", d.dir);
    d.generate = r.getBool("generate", d.generate);
    d.trainImages = r.getInt("train_images", d.trainImages);
    d.testImages = r.getInt("test_images", d.testImages);
    d.grid = r.getInt("grid", d.grid);
    d.cellPixels = r.getInt("cell_pixels", d.cellPixels);
    d.seed = static_cast<uint64_t>(r.getInt64("seed", 0));
    d.fill = r.getDouble("fill", d.fill);
    d.questionsPerImage = r.getInt("questions_per_image", d.questionsPerImage);
    d.turnsPerSample = r.getInt("turns_per_sample", d.turnsPerSample);
    d.eval = r.getString("eval", d.eval);
    d.textEval = r.getString("text_eval", d.textEval);
    d.evalSamples = r.getInt("eval_samples", d.evalSamples);
    d.cellReadingImages = r.getInt("cell_reading_images", d.cellReadingImages);
    d.skipBadImages = r.getBool("skip_bad_images", d.skipBadImages);
    d.workers = r.getInt("workers", d.workers);
    d.featureCache = r.getBool("feature_cache", d.featureCache);
    auto positive = [&](const char *key, int value) {
        if (value < 1)
            r.fail(key, "must be positive, got " + std::to_string(value));
    };
    positive("train_images", d.trainImages);
    positive("test_images", d.testImages);
    positive("grid", d.grid);
    positive("cell_pixels", d.cellPixels);
    positive("questions_per_image", d.questionsPerImage);
    positive("turns_per_sample", d.turnsPerSample);
    if (!(d.fill > 0 && d.fill <= 1))
        r.fail("fill", "must be in (0, 1], got " + formatReal(d.fill));
    if (d.evalSamples < 0)
        r.fail("eval_samples", "must not be negative");
    if (d.cellReadingImages < 0)
        r.fail("cell_reading_images", "must not be negative");
    if (d.workers < 0)
        r.fail("workers", "must not be negative");
    r.finish();
    return d;
}

RunConfig RunConfig::fromJson(const Json &json, const ConfigSource &source)
{
    ConfigReader r(json, source, "");
    RunConfig run;
    run.file = source.file;
    run.name = r.getString("name", "");
    const Json *model = r.child("model");
    if (!model)
        r.fail("model", "is required");
    run.model = ModelConfig::fromJson(*model, source, "model");
    if (const Json *data = r.child("data")) {
        ConfigReader dr(*data, source, "data");
        run.data = readData(dr);
    }

    const Json *stages = r.child("stages");
    if (!stages)
        r.fail("stages", "is required");
    if (!stages->is_array() || stages->size() == 0)
        r.fail("stages", "expected a non-empty list of stages");
    ModelConfig current = run.model;
    std::set<std::string> names;
    for (size_t i = 0; i < stages->size(); ++i) {
        const std::string key = childKeyPath("stages", i);
        ConfigReader sr(stages->at(i), source, key);
        StageConfig stage = readStage(sr, i);
        if (!names.insert(stage.name).second)
            sr.fail("name", "stage name '" + stage.name + "' is used twice");
        // Training on the questions it is scored on would make the evaluation meaningless.
        for (const std::string &trained : stage.dataFiles())
            if (stage.kind != "vision" && (trained == run.data.eval || trained == run.data.textEval))
                sr.fail(trained == stage.data ? "data" : "mix",
                        "'" + trained + "' is an evaluation set (data." + (trained == run.data.eval ? "eval" : "text_eval")
                            + "); train on other questions");
        if (const Json *scaling = sr.child("scaling")) {
            stage.scaling = ScalingSpec::fromJson(*scaling, source, key + ".scaling",
                                                  current.connector.scales.size());
            // A stored config states the identity for every stage.
            if (stage.kind == "text" && !stage.scaling.isIdentity())
                sr.fail("scaling", "a text stage has no visual tokens; scale them in the stage that uses them");
            current = scaledConfig(current, stage.scaling, source, key + ".scaling");
        }
        // `resolution` is optional and, when given, must agree with the model
        // after scaling, so a config states what it means.
        const int resolution = sr.getInt("resolution", current.vision.imageSize);
        if (resolution != current.vision.imageSize)
            sr.fail("resolution", std::to_string(resolution) + " does not match the model's input resolution "
                                      + std::to_string(current.vision.imageSize)
                                      + " in this stage (set scaling.resolution to change it)");
        sr.finish();
        run.stages.push_back(stage);
        run.stageModels.push_back(current);
    }
    r.finish();
    return run;
}

RunConfig RunConfig::load(const std::string &path, const std::vector<std::string> &overrides)
{
    ConfigSource source(path);
    Json json = loadYamlFile(path, &source.lines);
    if (!json.is_object())
        throw InputError(path + ": a run config is a mapping with `model` and `stages`");
    for (const auto &o : overrides)
        forgetLines(source.lines, applyOverride(json, o));
    return fromJson(json, source);
}

Json RunConfig::toJson() const
{
    Json j = Json::object();
    j["name"] = name;
    j["model"] = model.toJson();
    Json d = Json::object();
    d["dir"] = data.dir;
    d["generate"] = data.generate;
    d["train_images"] = data.trainImages;
    d["test_images"] = data.testImages;
    d["grid"] = data.grid;
    d["cell_pixels"] = data.cellPixels;
    d["seed"] = static_cast<int64_t>(data.seed);
    d["fill"] = data.fill;
    d["questions_per_image"] = data.questionsPerImage;
    d["turns_per_sample"] = data.turnsPerSample;
    d["eval"] = data.eval;
    d["text_eval"] = data.textEval;
    d["eval_samples"] = data.evalSamples;
    d["cell_reading_images"] = data.cellReadingImages;
    d["skip_bad_images"] = data.skipBadImages;
    d["workers"] = data.workers;
    d["feature_cache"] = data.featureCache;
    j["data"] = d;
    Json stagesJson = Json::array();
    for (const auto &s : stages)
        stagesJson.push_back(s.toJson());
    j["stages"] = stagesJson;
    return j;
}

std::string applyOverride(Json &root, const std::string &assignment)
{
    const size_t eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0)
        throw InputError("--set " + assignment + ": expected key.path=value");
    const std::string path = assignment.substr(0, eq);
    Json *cur = &root;
    std::string keyPath;
    size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '[') {
            const size_t close = path.find(']', i);
            if (close == std::string::npos)
                throw InputError("--set " + assignment + ": unclosed '['");
            size_t idx = 0;
            try {
                idx = std::stoul(path.substr(i + 1, close - i - 1));
            } catch (const std::exception &) {
                throw InputError("--set " + assignment + ": list index is not a number");
            }
            if (!cur->is_array() || idx >= cur->size())
                throw InputError("--set " + assignment + ": " + path.substr(0, close + 1) + " does not exist");
            cur = &cur->at(idx);
            keyPath = childKeyPath(keyPath, idx);
            i = close + 1;
        } else {
            if (path[i] == '.')
                ++i;
            const size_t end = path.find_first_of(".[", i);
            const std::string key = path.substr(i, end == std::string::npos ? std::string::npos : end - i);
            if (key.empty())
                throw InputError("--set " + assignment + ": empty key in '" + path + "'");
            if (!cur->is_object() && !cur->is_null())
                throw InputError("--set " + assignment + ": '" + key + "' is inside a value that is not a mapping");
            cur = &(*cur)[key];
            keyPath = childKeyPath(keyPath, key);
            i = end == std::string::npos ? path.size() : end;
        }
    }
    *cur = plainYamlValue(assignment.substr(eq + 1));
    return keyPath;
}

void forgetLines(JsonLines &lines, const std::string &keyPath)
{
    for (auto it = lines.lower_bound(keyPath); it != lines.end() && it->first.rfind(keyPath, 0) == 0;) {
        const char next = it->first.size() > keyPath.size() ? it->first[keyPath.size()] : '\0';
        it = next == '\0' || next == '.' || next == '[' ? lines.erase(it) : std::next(it);
    }
}

} // namespace cosw
