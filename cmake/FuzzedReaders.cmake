# The readers the fuzz targets (fuzz/) compile with coverage and the
# sanitizers, relative to core/. The fuzz build links everything else from the
# release build's archives, its instrumented objects standing in for these
# sources' own: so in the release build each of them stays an archive member
# of its own, outside the unity files (core/CMakeLists.txt).
set(COS_FUZZED_READERS
  base/Json.cpp
  base/ConfigReader.cpp
  base/ConfigSource.cpp
  base/Utf8.cpp
  io/Safetensors.cpp
  data/IdxReader.cpp
  data/ConversationDataset.cpp
  text/Conversation.cpp
  model/ModelConfig.cpp
  scaling/TokenScaling.cpp
  train/YamlLoader.cpp
  train/RunConfig.cpp)
