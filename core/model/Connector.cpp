#include "Connector.h"

#include "ChainOfSightConnector.h"
#include "MlpProjector.h"

namespace cosw {

std::shared_ptr<ConnectorImpl> makeConnector(const ModelConfig &config)
{
    if (config.connector.type == ConnectorType::Mlp)
        return std::make_shared<MlpProjectorImpl>(config);
    return std::make_shared<ChainOfSightConnectorImpl>(config);
}

} // namespace cosw
