#pragma once
#include <torch/torch.h>

#include <QTest>
#include <QtCore>
