<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QObject</name>
    <message numerus="yes">
        <source>%n visual token(s)</source>
        <translation>
            <numerusform>%n 个视觉 token</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cosw::AttentionCanvas</name>
    <message>
        <source>Open a checkpoint and an image.</source>
        <translation>请打开一个检查点和一张图像。</translation>
    </message>
    <message>
        <source>attention, scaled to this token&apos;s peak</source>
        <translation>注意力（按该 token 的峰值归一化）</translation>
    </message>
</context>
<context>
    <name>cosw::AttentionTokenModel</name>
    <message>
        <source>Token %1 of scale %2</source>
        <translation>尺度 %2 的 token %1</translation>
    </message>
    <message>
        <source>Token %1: scale %2 (%3×%3 windows), window row %4, column %5, query %6; peak %7; reads %8 of the window&apos;s %9 cells, as if evenly</source>
        <translation>Token %1：尺度 %2（%3×%3 窗口），窗口第 %4 行、第 %5 列，查询 %6；峰值 %7；相当于均匀读取窗口 %9 个单元中的 %8 个</translation>
    </message>
</context>
<context>
    <name>cosw::AttentionView</name>
    <message>
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Answer&apos;s attention per token</source>
        <translation>答案在各 token 上的注意力</translation>
    </message>
    <message>
        <source>Pick a run in the run list, or open a checkpoint directory; then an image.</source>
        <translation>请在运行列表中选择一个运行，或打开一个检查点目录；然后打开一张图像。</translation>
    </message>
    <message>
        <source>Directory…</source>
        <translation>目录…</translation>
    </message>
    <message>
        <source>Open a checkpoint directory</source>
        <translation>打开检查点目录</translation>
    </message>
    <message>
        <source>Open a checkpoint</source>
        <translation>打开检查点</translation>
    </message>
    <message>
        <source>Image…</source>
        <translation>图像…</translation>
    </message>
    <message>
        <source>Open any image file (or drop one on the view)</source>
        <translation>打开任意图像文件（或将图像拖放到视图中）</translation>
    </message>
    <message>
        <source>Open an image</source>
        <translation>打开图像</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.webp)</source>
        <translation>图像 (*.png *.jpg *.jpeg *.bmp *.webp)</translation>
    </message>
    <message>
        <source>same resolution</source>
        <translation>分辨率不变</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>window factors, e.g. 1,2</source>
        <translation>窗口倍数，例如 1,2</translation>
    </message>
    <message>
        <source>Checkpoint:</source>
        <translation>检查点：</translation>
    </message>
    <message>
        <source>Image:</source>
        <translation>图像：</translation>
    </message>
    <message>
        <source>Compare with:</source>
        <translation>对比对象：</translation>
    </message>
    <message>
        <source>Scaled to:</source>
        <translation>缩放至：</translation>
    </message>
    <message>
        <source>Ask about the image, e.g. is there a bag?</source>
        <translation>就图像提问，例如：is there a bag?</translation>
    </message>
    <message>
        <source>Ask</source>
        <translation>提问</translation>
    </message>
    <message>
        <source>The language model&apos;s layer whose attention is shown, or the mean of its layers</source>
        <translation>显示语言模型哪一层的注意力，或各层的平均</translation>
    </message>
    <message>
        <source>Answer&apos;s attention on the image</source>
        <translation>答案在图像上的注意力</translation>
    </message>
    <message>
        <source>The language model&apos;s attention while it produced the answer, averaged over its heads and layers, carried to the image through each visual token&apos;s map. Attention weights, not a causal attribution.</source>
        <translation>语言模型生成答案时的注意力，对各注意力头和各层取平均，再经每个视觉 token 的注意力图映射到图像上。这是注意力权重，而非因果归因。</translation>
    </message>
    <message>
        <source>Question:</source>
        <translation>问题：</translation>
    </message>
    <message>
        <source>LM layer:</source>
        <translation>LM 层：</translation>
    </message>
    <message>
        <source>Scale:</source>
        <translation>尺度：</translation>
    </message>
    <message>
        <source>Layer:</source>
        <translation>层：</translation>
    </message>
    <message>
        <source>Head:</source>
        <translation>注意力头：</translation>
    </message>
    <message>
        <source>Query in window:</source>
        <translation>窗口内查询：</translation>
    </message>
    <message>
        <source>Opacity:</source>
        <translation>不透明度：</translation>
    </message>
    <message>
        <source>Encoding…</source>
        <translation>编码中…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <source>Export view…</source>
        <translation>导出视图…</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG drawing (*.svg)</source>
        <translation>PNG 图像 (*.png);;SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
        <source>Export token sheet…</source>
        <translation>导出 token 总览图…</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Export raw maps…</source>
        <translation>导出原始注意力图…</translation>
    </message>
    <message>
        <source>safetensors (*.safetensors)</source>
        <translation>safetensors (*.safetensors)</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n token(s))</source>
        <translation>
            <numerusform>%1（%n 个 token）</numerusform>
        </translation>
    </message>
    <message>
        <source>#%1 [%2] %3</source>
        <translation>#%1 [%2] %3</translation>
    </message>
    <message>
        <source>Run %1 kept no checkpoint at the end of a stage.</source>
        <translation>运行 %1 在各阶段结束时均未保存检查点。</translation>
    </message>
    <message>
        <source>Nothing</source>
        <translation>无</translation>
    </message>
    <message>
        <source>This checkpoint, token-scaled</source>
        <translation>当前检查点（缩放 token 后）</translation>
    </message>
    <message>
        <source>token-scaled: %1 px, window × %2</source>
        <translation>token 缩放：%1 px，窗口 × %2</translation>
    </message>
    <message>
        <source>same</source>
        <translation>不变</translation>
    </message>
    <message>
        <source>Window factors: whole numbers of at least 1, one for every scale or one per scale (e.g. 2 or 1,2).</source>
        <translation>窗口倍数：不小于 1 的整数，所有尺度共用一个，或每个尺度各一个（例如 2 或 1,2）。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Question&lt;/b&gt; (%1): %2 &amp;nbsp; &lt;b&gt;Reference answer:&lt;/b&gt; %3</source>
        <translation>&lt;b&gt;问题&lt;/b&gt;（%1）：%2 &amp;nbsp; &lt;b&gt;参考答案：&lt;/b&gt;%3</translation>
    </message>
    <message>
        <source>&lt;b&gt;Image:&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;图像：&lt;/b&gt;%1</translation>
    </message>
    <message>
        <source>Asking…</source>
        <translation>提问中…</translation>
    </message>
    <message numerus="yes">
        <source>Mean of %n layer(s)</source>
        <translation>
            <numerusform>%n 层平均</numerusform>
        </translation>
    </message>
    <message>
        <source> (reference: %1)</source>
        <translation>（参考答案：%1）</translation>
    </message>
    <message>
        <source>%1&lt;b&gt;%2&lt;/b&gt;, %3 of its attention on the image</source>
        <translation>%1&lt;b&gt;%2&lt;/b&gt;，其注意力有 %3 落在图像上</translation>
    </message>
    <message>
        <source>left: </source>
        <translation>左侧：</translation>
    </message>
    <message>
        <source>right: </source>
        <translation>右侧：</translation>
    </message>
    <message>
        <source>Answer%1: %2</source>
        <translation>答案%1：%2</translation>
    </message>
    <message>
        <source>%1: visual token (scales coarse to fine)</source>
        <translation>%1：视觉 token（尺度由粗到细）</translation>
    </message>
    <message>
        <source>left</source>
        <translation>左侧</translation>
    </message>
    <message>
        <source>right</source>
        <translation>右侧</translation>
    </message>
    <message>
        <source>attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>scale %1</source>
        <translation>尺度 %1</translation>
    </message>
    <message>
        <source>answer&apos;s attention, scaled to its peak</source>
        <translation>答案的注意力（按峰值归一化）</translation>
    </message>
    <message>
        <source>The %1 connector attends to nothing: its %2 come from one feature cell each, so there are no maps to show.</source>
        <translation>%1 连接器不计算注意力：它的 %2 各自只来自一个特征单元，因此没有可显示的注意力图。</translation>
    </message>
    <message>
        <source>%1: %2×%2 windows × %3 queries = %4</source>
        <translation>%1：%2×%2 窗口 × %3 个查询 = %4</translation>
    </message>
    <message>
        <source>%1 (last)</source>
        <translation>%1（最后一层）</translation>
    </message>
    <message numerus="yes">
        <source>Mean of %n head(s)</source>
        <translation>
            <numerusform>%n 个头平均</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (stage %2)</source>
        <translation>%1（阶段 %2）</translation>
    </message>
    <message>
        <source> — %1 at %2 px</source>
        <translation> — %1，%2 px</translation>
    </message>
    <message>
        <source>Token %1 of %2: scale %3, window row %4, column %5 of %6×%6, query %7 of %8; layer %9</source>
        <translation>Token %1/%2：尺度 %3，%6×%6 窗口中第 %4 行、第 %5 列，查询 %7/%8；第 %9 层</translation>
    </message>
    <message>
        <source>, mean of the heads</source>
        <translation>，各头平均</translation>
    </message>
    <message>
        <source>, head %1</source>
        <translation>，第 %1 个头</translation>
    </message>
    <message>
        <source>. Right: token %1 (window %2, dashed: all windows inside the left one)</source>
        <translation>。右侧：token %1（窗口 %2；虚线：位于左侧窗口内的所有窗口）</translation>
    </message>
    <message>
        <source>Attention maps</source>
        <translation>注意力图</translation>
    </message>
    <message>
        <source>; reads %1 of its window&apos;s %2 cells, as if evenly (the scale&apos;s median: %3)</source>
        <translation>；相当于均匀读取其窗口 %2 个单元中的 %1 个（该尺度的中位数：%3）</translation>
    </message>
</context>
<context>
    <name>cosw::CompareTableModel</name>
    <message>
        <source>On the Pareto front: no other row is both faster to pre-train and more accurate</source>
        <translation>位于帕累托前沿：没有其他行预训练更快且准确率更高</translation>
    </message>
    <message>
        <source>Best in this column</source>
        <translation>本列最佳</translation>
    </message>
    <message>
        <source>Second best in this column</source>
        <translation>本列次佳</translation>
    </message>
    <message numerus="yes">
        <source>Mean ± standard deviation over %n run(s)</source>
        <translation>
            <numerusform>%n 个运行的均值 ± 标准差</numerusform>
        </translation>
    </message>
    <message>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>connector</source>
        <translation>连接器</translation>
    </message>
    <message>
        <source>sweep</source>
        <translation>扫描</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>token 数</translation>
    </message>
    <message>
        <source>pre-train tokens</source>
        <translation>预训练 token 数</translation>
    </message>
    <message>
        <source>fine-tune tokens</source>
        <translation>微调 token 数</translation>
    </message>
    <message>
        <source>pre-train px</source>
        <translation>预训练 px</translation>
    </message>
    <message>
        <source>fine-tune px</source>
        <translation>微调 px</translation>
    </message>
    <message>
        <source>pre-train s</source>
        <translation>预训练 s</translation>
    </message>
    <message>
        <source>pre-train ×</source>
        <translation>预训练 ×</translation>
    </message>
    <message>
        <source>fine-tune s</source>
        <translation>微调 s</translation>
    </message>
    <message>
        <source>pre-train samples/s</source>
        <translation>预训练样本/s</translation>
    </message>
    <message>
        <source>fine-tune samples/s</source>
        <translation>微调样本/s</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>± se</source>
        <translation>± 标准误</translation>
    </message>
    <message>
        <source>type prior</source>
        <translation>题型先验</translation>
    </message>
    <message>
        <source>shuffled</source>
        <translation>打乱图像</translation>
    </message>
    <message>
        <source>over prior</source>
        <translation>超出先验</translation>
    </message>
    <message>
        <source>cell reading</source>
        <translation>单元格识读</translation>
    </message>
    <message>
        <source>cell reading prior</source>
        <translation>单元格识读先验</translation>
    </message>
    <message>
        <source>questions</source>
        <translation>问题数</translation>
    </message>
    <message>
        <source>parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Pareto</source>
        <translation>帕累托</translation>
    </message>
    <message>
        <source>runs</source>
        <translation>运行数</translation>
    </message>
    <message>
        <source>feature cache</source>
        <extracomment>Which stages read the frozen vision tower&apos;s features from the cache (their times leave the tower out).</extracomment>
        <translation>特征缓存</translation>
    </message>
    <message>
        <source>BLAS</source>
        <extracomment>The BLAS kernel a run&apos;s CPU matrix products ran on.</extracomment>
        <translation>BLAS</translation>
    </message>
</context>
<context>
    <name>cosw::CompareView</name>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Show all keys</source>
        <translation>显示所有键</translation>
    </message>
    <message>
        <source>Trade-off</source>
        <translation>权衡</translation>
    </message>
    <message>
        <source>Token scaling</source>
        <translation>Token 缩放</translation>
    </message>
    <message>
        <source>Per type</source>
        <translation>按题型</translation>
    </message>
    <message>
        <source>Config diff</source>
        <translation>配置差异</translation>
    </message>
    <message>
        <source>Runs the run list shows</source>
        <translation>运行列表中显示的运行</translation>
    </message>
    <message>
        <source>Runs selected in the run list</source>
        <translation>运行列表中选中的运行</translation>
    </message>
    <message>
        <source>Merge runs with the same values of these keys into mean ± standard deviation: built-in keys or any config key (stages[3].lr), separated by commas</source>
        <translation>将这些键取值相同的运行合并为均值 ± 标准差：可用内置键或任意配置键（如 stages[3].lr），以逗号分隔</translation>
    </message>
    <message>
        <source>The accuracy the plots show and the Pareto front is computed on</source>
        <translation>图表显示并用于计算帕累托前沿的准确率</translation>
    </message>
    <message>
        <source>Pre-training time is shown relative to this run (1.00×)</source>
        <translation>预训练时间以此运行为基准（1.00×）显示</translation>
    </message>
    <message>
        <source>Relative time</source>
        <translation>相对时间</translation>
    </message>
    <message>
        <source>Log time axis</source>
        <translation>对数时间轴</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Table as CSV…</source>
        <translation>表格导出为 CSV…</translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation>CSV 表格 (*.csv)</translation>
    </message>
    <message>
        <source>Table as Markdown…</source>
        <translation>表格导出为 Markdown…</translation>
    </message>
    <message>
        <source>Markdown table (*.md)</source>
        <translation>Markdown 表格 (*.md)</translation>
    </message>
    <message>
        <source>Table as LaTeX…</source>
        <translation>表格导出为 LaTeX…</translation>
    </message>
    <message>
        <source>LaTeX table (*.tex)</source>
        <translation>LaTeX 表格 (*.tex)</translation>
    </message>
    <message>
        <source>Shown plot (PNG, PDF or SVG)…</source>
        <translation>当前图表（PNG、PDF 或 SVG）…</translation>
    </message>
    <message>
        <source>Export plot</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <source>All plots (PNG, PDF or SVG)…</source>
        <translation>全部图表（PNG、PDF 或 SVG）…</translation>
    </message>
    <message>
        <source>Compare:</source>
        <translation>对比：</translation>
    </message>
    <message>
        <source>Group by:</source>
        <translation>分组依据：</translation>
    </message>
    <message>
        <source>Accuracy:</source>
        <translation>准确率：</translation>
    </message>
    <message>
        <source>Reference:</source>
        <translation>基准：</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n 个运行</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> in %n group(s)</source>
        <translation>
            <numerusform>，分为 %n 组</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n on the Pareto front</source>
        <translation>
            <numerusform>%n 个位于帕累托前沿</numerusform>
        </translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Default columns</source>
        <translation>默认列</translation>
    </message>
    <message>
        <source>(absent)</source>
        <translation>（缺失）</translation>
    </message>
    <message>
        <source>Select two or more runs to compare their configs.</source>
        <translation>选择两个或更多运行以比较其配置。</translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) differ between the selected runs.</source>
        <translation>
            <numerusform>选中的运行之间有 %n 个键不同。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) differ between the compared runs; select rows to narrow it.</source>
        <translation>
            <numerusform>参与对比的运行之间有 %n 个键不同；选择行可缩小范围。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Every key of %n run(s).</source>
        <translation>
            <numerusform>%n 个运行的全部键。</numerusform>
        </translation>
    </message>
    <message>
        <source>The first %1 runs are shown.</source>
        <translation>仅显示前 %1 个运行。</translation>
    </message>
    <message>
        <source>Run comparison</source>
        <translation>运行对比</translation>
    </message>
    <message>
        <source>Export table</source>
        <translation>导出表格</translation>
    </message>
    <message>
        <source>Export plots</source>
        <translation>导出全部图表</translation>
    </message>
</context>
<context>
    <name>cosw::LauncherView</name>
    <message>
        <source>Choose a preset…</source>
        <translation>选择预设…</translation>
    </message>
    <message>
        <source>&amp;Load YAML…</source>
        <translation>加载 YAML(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Save YAML…</source>
        <translation>保存 YAML(&amp;S)…</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>预设：</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>分辨率</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Windows per side</source>
        <translation>每边窗口数</translation>
    </message>
    <message>
        <source>Tokens per scale</source>
        <translation>各尺度 token 数</translation>
    </message>
    <message>
        <source>Visual tokens</source>
        <translation>视觉 token 数</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>LM sequence</source>
        <translation>LM 序列</translation>
    </message>
    <message>
        <source>Visual tokens plus a sample&apos;s text tokens, within the language model&apos;s maximum sequence length</source>
        <translation>视觉 token 加上样本的文本 token，不得超过语言模型的最大序列长度</translation>
    </message>
    <message>
        <source>Estimated: the weights (what the stage trains in fp32, the rest at its precision), the gradients and AdamW moments of what it trains, and the activations kept for the backward pass at its batch and the language model&apos;s longest sequence</source>
        <translation>估算值：权重（本阶段训练的部分按 fp32，其余按该阶段精度）、所训练部分的梯度和 AdamW 矩估计，以及在该阶段批大小和语言模型最长序列下为反向传播保留的激活</translation>
    </message>
    <message>
        <source>Token budget (computed by the engine)</source>
        <translation>Token 预算（由引擎计算）</translation>
    </message>
    <message>
        <source>Stages</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>&amp;Launch</source>
        <translation>启动(&amp;L)</translation>
    </message>
    <message>
        <source>S&amp;weep…</source>
        <translation>参数扫描(&amp;W)…</translation>
    </message>
    <message>
        <source>Launch this config as a grid of variants and seeds, tagged for the comparison dashboard</source>
        <translation>将此配置按变体和随机种子组成的网格批量启动，并加上标签供对比面板使用</translation>
    </message>
    <message>
        <source>Data-parallel processes: each takes its share of every batch and the gradients are summed, so the run trains as one process with the whole batch would. The CPUs are shared out among them.</source>
        <translation>数据并行进程：每个进程处理每个批次中的一部分，再对梯度求和，因此训练结果与单个进程处理整个批次相同。CPU 由各进程分摊。</translation>
    </message>
    <message>
        <source>&amp;Processes:</source>
        <translation>进程数(&amp;P)：</translation>
    </message>
    <message>
        <source>Choose a preset or load a run config.</source>
        <translation>请选择预设或加载运行配置。</translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>（未命名）</translation>
    </message>
    <message>
        <source>Chain-of-Sight</source>
        <translation>Chain-of-Sight</translation>
    </message>
    <message>
        <source>Resampler (one global window)</source>
        <translation>Resampler（单个全局窗口）</translation>
    </message>
    <message>
        <source>MLP projector (one token per patch)</source>
        <translation>MLP 投影器（每个 patch 一个 token）</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Connector:</source>
        <translation>连接器(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Vision tower:</source>
        <translation>视觉塔(&amp;V)：</translation>
    </message>
    <message>
        <source>Lan&amp;guage model:</source>
        <translation>语言模型(&amp;G)：</translation>
    </message>
    <message>
        <source>Trained here, from scratch</source>
        <translation>在此从头训练</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>%1
imported from %2
%3 parameters</source>
        <translation>%1
导入自 %2
参数量 %3</translation>
    </message>
    <message>
        <source>%1 (not among the imports)</source>
        <translation>%1（不在已导入的模型中）</translation>
    </message>
    <message>
        <source>&amp;Add scale</source>
        <translation>添加尺度(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Remove scale</source>
        <translation>移除尺度(&amp;R)</translation>
    </message>
    <message>
        <source>Scales (coarse to fine)</source>
        <translation>尺度（由粗到细）</translation>
    </message>
    <message>
        <source>default data directory</source>
        <translation>默认数据目录</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source> cells per side</source>
        <translation> 格/边</translation>
    </message>
    <message>
        <source>Dataset (FMNIST-Grid)</source>
        <translation>数据集（FMNIST-Grid）</translation>
    </message>
    <message>
        <source>Directory:</source>
        <translation>目录：</translation>
    </message>
    <message>
        <source>&amp;Grid:</source>
        <translation>网格(&amp;G)：</translation>
    </message>
    <message>
        <source>&amp;Training images:</source>
        <translation>训练图像(&amp;T)：</translation>
    </message>
    <message>
        <source>T&amp;est images:</source>
        <translation>测试图像(&amp;E)：</translation>
    </message>
    <message>
        <source>%1: a run config is a mapping with model and stages</source>
        <translation>%1：运行配置应为包含 model 和 stages 的映射</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>stage %1</source>
        <translation>阶段 %1</translation>
    </message>
    <message>
        <source>Ready to launch.</source>
        <translation>可以启动。</translation>
    </message>
    <message>
        <source>%1×%1 windows × %2 queries</source>
        <translation>%1×%1 窗口 × %2 个查询</translation>
    </message>
    <message>
        <source>%1 px</source>
        <translation>%1 px</translation>
    </message>
    <message>
        <source>%1×%1</source>
        <translation>%1×%1</translation>
    </message>
    <message>
        <source>%1 + text ≤ %2</source>
        <translation>%1 + 文本 ≤ %2</translation>
    </message>
    <message>
        <source>%1 needs about %2, more than %3&apos;s %4</source>
        <translation>%1 约需 %2，超过 %3 的 %4</translation>
    </message>
    <message>
        <source>Room for %1 text tokens per sample</source>
        <translation>每个样本可容纳 %1 个文本 token</translation>
    </message>
    <message>
        <source>weights %1, gradients %2, optimizer %3, activations %4</source>
        <translation>权重 %1，梯度 %2，优化器 %3，激活 %4</translation>
    </message>
    <message>
        <source>Ready to launch, but %1.</source>
        <translation>可以启动，但 %1。</translation>
    </message>
    <message>
        <source>Dataset directory</source>
        <translation>数据集目录</translation>
    </message>
    <message>
        <source>Load run config</source>
        <translation>加载运行配置</translation>
    </message>
    <message>
        <source>Run configs (*.yaml *.yml *.json);;All files (*)</source>
        <translation>运行配置 (*.yaml *.yml *.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>run</source>
        <translation>run</translation>
    </message>
    <message>
        <source>Save run config</source>
        <translation>保存运行配置</translation>
    </message>
    <message>
        <source>YAML (*.yaml *.yml)</source>
        <translation>YAML (*.yaml *.yml)</translation>
    </message>
    <message>
        <source>text ≤ %1</source>
        <translation>文本 ≤ %1</translation>
    </message>
    <message>
        <source>The whole config: every key, stages added or removed. The form follows what you type.</source>
        <translation>完整的配置：每个键，可增删阶段。表单随您的输入更新。</translation>
    </message>
    <message>
        <source>YAML</source>
        <extracomment>The launcher&apos;s page showing the whole run config as editable YAML text.</extracomment>
        <translation>YAML</translation>
    </message>
    <message>
        <source>the YAML page</source>
        <extracomment>Names the launcher&apos;s YAML page in an error about its text, e.g. &quot;the YAML page: line 3: ...&quot;.</extracomment>
        <translation>YAML 页</translation>
    </message>
</context>
<context>
    <name>cosw::LocaleNumber</name>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
</context>
<context>
    <name>cosw::MainWindow</name>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source> (%1 GiB)</source>
        <translation>（%1 GiB）</translation>
    </message>
    <message>
        <source>CoS Workbench</source>
        <translation>CoS Workbench</translation>
    </message>
    <message>
        <source>Devices: %1</source>
        <translation>设备：%1</translation>
    </message>
    <message>
        <source>CPU matrix products: %1</source>
        <translation>CPU 矩阵乘法：%1</translation>
    </message>
    <message>
        <source>store: %1</source>
        <translation>数据库：%1</translation>
    </message>
    <message>
        <source>cos-batch was not found beside the workbench or on PATH: runs cannot be launched (set COS_BATCH to its path)</source>
        <translation>在工作台所在目录和 PATH 中均未找到 cos-batch，无法启动运行（请将 COS_BATCH 设为其路径）</translation>
    </message>
    <message>
        <source>&amp;Launcher</source>
        <translation>启动器(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Monitor</source>
        <translation>监控(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Attention</source>
        <translation>注意力(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Compare</source>
        <translation>对比(&amp;C)</translation>
    </message>
    <message>
        <source>Filter by name</source>
        <translation>按名称筛选</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>所有状态</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>&amp;Launch</source>
        <translation>启动(&amp;L)</translation>
    </message>
    <message>
        <source>Launch the launcher&apos;s config as a new run</source>
        <translation>用启动器中的配置启动一个新运行</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <source>Stop the selected runs after their current step, with a checkpoint</source>
        <translation>在当前步结束后停止所选运行，并保存检查点</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>恢复(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Duplicate with changes</source>
        <translation>复制并修改(&amp;D)</translation>
    </message>
    <message>
        <source>Open the selected run&apos;s config in the launcher</source>
        <translation>在启动器中打开所选运行的配置</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>刷新(&amp;F)</translation>
    </message>
    <message>
        <source>Read the run list from the store again</source>
        <translation>从数据库重新读取运行列表</translation>
    </message>
    <message>
        <source>Show the launcher</source>
        <translation>显示启动器</translation>
    </message>
    <message>
        <source>Show the monitor</source>
        <translation>显示监控</translation>
    </message>
    <message>
        <source>Show what the selected run&apos;s visual tokens attend to</source>
        <translation>显示所选运行的视觉 token 关注的区域</translation>
    </message>
    <message>
        <source>Compare runs: tokens, time and accuracy</source>
        <translation>对比运行：token、时间和准确率</translation>
    </message>
    <message>
        <source>&amp;Find run</source>
        <translation>查找运行(&amp;F)</translation>
    </message>
    <message>
        <source>Filter the run list by name</source>
        <translation>按名称筛选运行列表</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Edit the settings</source>
        <translation>编辑设置</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Close the workbench</source>
        <translation>关闭工作台</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Store: %1</source>
        <translation>数据库：%1</translation>
    </message>
    <message>
        <source>run %1 runs on %2: stop it there</source>
        <translation>运行 %1 正在 %2 上执行：请在该机器上停止它</translation>
    </message>
    <message>
        <source>run %1</source>
        <translation>运行 %1</translation>
    </message>
    <message>
        <source>run %1: its config cannot be edited: %2</source>
        <translation>运行 %1：无法编辑其配置：%2</translation>
    </message>
    <message numerus="yes">
        <source>%1 running (%n process(es)), %2 waiting</source>
        <translation>
            <numerusform>%1 个运行中（%n 个进程），%2 个等待中</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) still running.</source>
        <translation>
            <numerusform>仍有 %n 个运行正在进行。</numerusform>
        </translation>
    </message>
    <message>
        <source>Runs in progress</source>
        <translation>运行仍在进行</translation>
    </message>
    <message>
        <source>&amp;Leave running</source>
        <translation>保持运行(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Stop them</source>
        <translation>全部停止(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;User guide</source>
        <translation>用户指南(&amp;U)</translation>
    </message>
    <message>
        <source>Read the user guide, task by task</source>
        <translation>按任务阅读用户指南</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>List every keyboard shortcut of the workbench</source>
        <translation>列出工作台的全部键盘快捷键</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About CoS Workbench</source>
        <translation>关于 CoS Workbench(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 Qt(&amp;Q)</translation>
    </message>
    <message>
        <source>The new language applies when the workbench starts again.</source>
        <translation>新语言将在工作台下次启动时生效。</translation>
    </message>
    <message>
        <source>&lt;h3&gt;CoS Workbench %1&lt;/h3&gt;&lt;p&gt;A research workbench for Chain-of-Sight: pre-train a multimodal model with few visual tokens, fine-tune it with many, and compare tokens, time and accuracy.&lt;/p&gt;&lt;p&gt;Qt %2 · LibTorch %3&lt;br&gt;CPU matrix products: %4&lt;br&gt;Devices: %5&lt;/p&gt;</source>
        <translation>&lt;h3&gt;CoS Workbench %1&lt;/h3&gt;&lt;p&gt;面向 Chain-of-Sight 的研究工作台：用少量视觉 token 预训练多模态模型，用大量视觉 token 微调，并对比 token 数、时间与准确率。&lt;/p&gt;&lt;p&gt;Qt %2 · LibTorch %3&lt;br&gt;CPU 矩阵乘法：%4&lt;br&gt;设备：%5&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About CoS Workbench</source>
        <translation>关于 CoS Workbench</translation>
    </message>
    <message>
        <source>Continue the selected interrupted or failed runs from their last checkpoint, or start queued runs nothing here waits for</source>
        <translation>从最后一个检查点继续所选的被中断或失败的运行，或启动此处无人等待的排队运行</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) waiting in the queue.</source>
        <translation>
            <numerusform>%n 个运行在队列中等待。</numerusform>
        </translation>
    </message>
    <message>
        <source>Runs left running keep going and appear again in the run list when the workbench starts; waiting runs stay queued in the store and wait again then. Stopped runs write a checkpoint and can be resumed; stopped waiting runs are marked interrupted and start from the beginning when resumed.</source>
        <translation>保持运行的运行会继续，并在工作台启动时重新出现在运行列表中；等待中的运行仍在存储中排队，届时再次等待。停止的运行会写入检查点，可以继续；停止的等待运行被标记为已中断，继续时从头开始。</translation>
    </message>
</context>
<context>
    <name>cosw::MonitorView</name>
    <message>
        <source>Step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Wall-clock time</source>
        <translation>墙钟时间</translation>
    </message>
    <message>
        <source>&amp;Fit</source>
        <translation>适配视图(&amp;F)</translation>
    </message>
    <message>
        <source>Show all points again after zooming or panning (or double-click a chart)</source>
        <translation>缩放或平移后重新显示所有数据点（也可双击图表）</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>Save the four charts as PNG, PDF or SVG</source>
        <translation>将四张图表保存为 PNG、PDF 或 SVG</translation>
    </message>
    <message>
        <source>Select one or more runs in the run list to plot them.</source>
        <translation>在运行列表中选择一个或多个运行以绘制曲线。</translation>
    </message>
    <message>
        <source>&amp;X axis:</source>
        <translation>X 轴(&amp;X)：</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Samples per second</source>
        <translation>每秒样本数</translation>
    </message>
    <message>
        <source>Evaluation accuracy</source>
        <translation>评估准确率</translation>
    </message>
    <message>
        <source>time since the run began (h:m:s)</source>
        <translation>自运行开始的时间（时:分:秒）</translation>
    </message>
    <message>
        <source>step (stages end to end)</source>
        <translation>步数（各阶段首尾相接）</translation>
    </message>
    <message>
        <source>Training runs</source>
        <translation>训练运行</translation>
    </message>
    <message>
        <source>Export charts</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <source>Moving average of the loss and samples/s curves, each stage on its own; the points as logged stay drawn faintly behind (0: points only)</source>
        <translation>损失和每秒样本数曲线的滑动平均，各阶段分别计算；记录的原始点以浅色保留在后面（0：仅显示原始点）</translation>
    </message>
    <message>
        <source>&amp;Log loss axis</source>
        <translation>对数损失轴(&amp;L)</translation>
    </message>
    <message>
        <source>A logarithmic loss axis, so the late, small changes are not flattened by the first steps</source>
        <translation>对数刻度的损失轴，使后期的细小变化不会被最初几步压平</translation>
    </message>
    <message>
        <source>&amp;Smoothing:</source>
        <translation>平滑(&amp;S)：</translation>
    </message>
</context>
<context>
    <name>cosw::PerTypePlot</name>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>type prior</source>
        <translation>题型先验</translation>
    </message>
    <message>
        <source>shuffled images</source>
        <translation>打乱图像</translation>
    </message>
</context>
<context>
    <name>cosw::PlotExport</name>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>SVG drawing (*.svg)</source>
        <translation>SVG 矢量图 (*.svg)</translation>
    </message>
</context>
<context>
    <name>cosw::RunJob</name>
    <message>
        <source>%1: could not start %2: %3</source>
        <translation>%1：无法启动 %2：%3</translation>
    </message>
    <message>
        <source>%1: started (pid %2) on %3</source>
        <translation>%1：已在 %3 上启动（pid %2）</translation>
    </message>
    <message>
        <source>%1: removed from the queue</source>
        <translation>%1：已从队列中移除</translation>
    </message>
    <message>
        <source>%1: stopping after the current step (a checkpoint is written)</source>
        <translation>%1：将在当前步结束后停止（会写入检查点）</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>run %1 (%2)</source>
        <translation>运行 %1（%2）</translation>
    </message>
    <message>
        <source>recording into %1</source>
        <translation>记录到 %1</translation>
    </message>
    <message>
        <source>generating images %1/%2</source>
        <translation>正在生成图像 %1/%2</translation>
    </message>
    <message>
        <source>[%1] step %2/%3, loss %4, %5 samples/s</source>
        <translation>[%1] 第 %2/%3 步，损失 %4，%5 样本/s</translation>
    </message>
    <message>
        <source>stage %1 %2: the language model alone, no image</source>
        <translation>阶段 %1 %2：仅语言模型，无图像</translation>
    </message>
    <message>
        <source>stage %1 %2: %3 visual tokens at %4 px</source>
        <translation>阶段 %1 %2：%3 个视觉 token，%4 px</translation>
    </message>
    <message>
        <source>stage %1 done in %2 s, final loss %3</source>
        <translation>阶段 %1 完成，用时 %2 s，最终损失 %3</translation>
    </message>
    <message>
        <source>[%1] eval accuracy %2 on %3 samples</source>
        <translation>[%1] 评估准确率 %2（%3 个样本）</translation>
    </message>
    <message>
        <source>stage %1 %2: the vision tower alone at %3 px</source>
        <translation>阶段 %1 %2：仅视觉塔，%3 px</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>%1: not queued, the run was not recorded in the store</source>
        <translation>%1：未排队，运行未记录到存储中</translation>
    </message>
    <message>
        <source>queued in %1, waiting for %2</source>
        <translation>已在 %1 中排队，等待 %2</translation>
    </message>
</context>
<context>
    <name>cosw::RunQueue</name>
    <message>
        <source>cannot create %1</source>
        <translation>无法创建 %1</translation>
    </message>
    <message>
        <source>%1: cannot write the config: %2</source>
        <translation>%1：无法写入配置：%2</translation>
    </message>
    <message>
        <source>run %1: %2</source>
        <translation>运行 %1：%2</translation>
    </message>
    <message>
        <source>%1 (resumed)</source>
        <translation>%1（恢复）</translation>
    </message>
    <message>
        <source>%1: queued for %2</source>
        <translation>%1：已加入 %2 的队列</translation>
    </message>
    <message>
        <source>run %1 (%2)</source>
        <translation>运行 %1（%2）</translation>
    </message>
    <message>
        <source>%1: following it (pid %2), it was running already</source>
        <translation>%1：该运行已在进行，正在跟踪（pid %2）</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>removed from the workbench&apos;s queue before it started</source>
        <translation>启动前已从工作台队列中移除</translation>
    </message>
    <message>
        <source>run %1: marked interrupted in the store; resume starts it from the beginning</source>
        <translation>运行 %1：已在存储中标记为中断；继续将从头启动它</translation>
    </message>
    <message>
        <source>run %1 stays queued in the store: %2</source>
        <translation>运行 %1 仍在存储中排队：%2</translation>
    </message>
    <message>
        <source>%1: waiting again, queued by an earlier session</source>
        <translation>%1：再次等待，由之前的会话排队</translation>
    </message>
</context>
<context>
    <name>cosw::RunTableModel</name>
    <message>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Connector</source>
        <translation>连接器</translation>
    </message>
    <message>
        <source>Visual tokens</source>
        <translation>视觉 token 数</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>evaluating %1/%2</source>
        <translation>评估中 %1/%2</translation>
    </message>
    <message>
        <source>%1 %2/%3</source>
        <translation>%1 %2/%3</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <extracomment>A run&apos;s status, then where it is: &quot;running · pretrain 120/450&quot;.</extracomment>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Evaluating stage %1 (%2 of %3): %4 of %5 answers</source>
        <translation>正在评估阶段 %1（第 %2 个，共 %3 个）：已完成 %4 / %5 个回答</translation>
    </message>
    <message>
        <source>Stage %1 (%2 of %3): step %4 of %5</source>
        <translation>阶段 %1（第 %2 个，共 %3 个）：第 %4 / %5 步</translation>
    </message>
    <message>
        <source>, about %1 left in the stage</source>
        <translation>，本阶段约剩 %1</translation>
    </message>
</context>
<context>
    <name>cosw::ScalesTableModel</name>
    <message>
        <source>Windows per side</source>
        <translation>每边窗口数</translation>
    </message>
    <message>
        <source>Queries per window</source>
        <translation>每窗口查询数</translation>
    </message>
</context>
<context>
    <name>cosw::SettingsDialog</name>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>each stage&apos;s own device</source>
        <translation>各阶段自己的设备</translation>
    </message>
    <message>
        <source>LibTorch&apos;s choice</source>
        <translation>由 LibTorch 决定</translation>
    </message>
    <message>
        <source>&amp;Experiment database:</source>
        <translation>实验数据库(&amp;E)：</translation>
    </message>
    <message>
        <source>Experiment database</source>
        <translation>实验数据库</translation>
    </message>
    <message>
        <source>SQLite databases (*.sqlite *.db);;All files (*)</source>
        <translation>SQLite 数据库 (*.sqlite *.db);;所有文件 (*)</translation>
    </message>
    <message>
        <source>&amp;Data directory:</source>
        <translation>数据目录(&amp;D)：</translation>
    </message>
    <message>
        <source>Data directory</source>
        <translation>数据目录</translation>
    </message>
    <message>
        <source>&amp;Threads per run:</source>
        <translation>每个运行的线程数(&amp;T)：</translation>
    </message>
    <message>
        <source>Concurrent &amp;runs per device:</source>
        <translation>每个设备的并发运行数(&amp;R)：</translation>
    </message>
    <message>
        <source>The system&apos;s</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Default de&amp;vice:</source>
        <translation>默认设备(&amp;V)：</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>A new language applies when the workbench starts again.</source>
        <translation>新语言将在工作台下次启动时生效。</translation>
    </message>
</context>
<context>
    <name>cosw::ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>What it does</source>
        <translation>作用</translation>
    </message>
</context>
<context>
    <name>cosw::StageEditor</name>
    <message>
        <source>e.g. 1e-3</source>
        <translation>例如 1e-3</translation>
    </message>
    <message>
        <source>Vision tower</source>
        <translation>视觉塔</translation>
    </message>
    <message>
        <source>Connector</source>
        <translation>连接器</translation>
    </message>
    <message>
        <source>Language model</source>
        <translation>语言模型</translation>
    </message>
    <message>
        <source>auto (bf16 where it is faster)</source>
        <translation>自动（更快时使用 bf16）</translation>
    </message>
    <message>
        <source>fp32</source>
        <translation>fp32</translation>
    </message>
    <message>
        <source>bf16 (autocast: CUDA, or a CPU with bf16 products)</source>
        <translation>bf16（autocast：CUDA，或支持 bf16 乘法的 CPU）</translation>
    </message>
    <message>
        <source>Scale tokens at the start of this stage</source>
        <translation>在本阶段开始时缩放 token</translation>
    </message>
    <message>
        <source>1, or one factor per scale: 1, 2</source>
        <translation>1，或每个尺度一个倍数：1, 2</translation>
    </message>
    <message>
        <source>Window scaling: each scale&apos;s windows per side are multiplied by its factor. One number applies to every scale.</source>
        <translation>窗口缩放：每个尺度的每边窗口数乘以对应的倍数。只填一个数则应用于所有尺度。</translation>
    </message>
    <message>
        <source>Resolution factor:</source>
        <translation>分辨率倍数：</translation>
    </message>
    <message>
        <source>Window factors:</source>
        <translation>窗口倍数：</translation>
    </message>
    <message>
        <source>Steps:</source>
        <translation>步数：</translation>
    </message>
    <message>
        <source>Batch size:</source>
        <translation>批大小：</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation>学习率：</translation>
    </message>
    <message>
        <source>Trains:</source>
        <translation>训练部分：</translation>
    </message>
    <message>
        <source>Precision:</source>
        <translation>精度：</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>随机种子：</translation>
    </message>
</context>
<context>
    <name>cosw::SweepDialog</name>
    <message>
        <source>Sweep</source>
        <translation>参数扫描</translation>
    </message>
    <message>
        <source>One key per line with its values, e.g.
stages[4].lr=1e-3,3e-4
stages[4].scaling.window=[1,2],[2,2]</source>
        <translation>每行一个键及其取值，例如：
stages[4].lr=1e-3,3e-4
stages[4].scaling.window=[1,2],[2,2]</translation>
    </message>
    <message>
        <source>once, as configured</source>
        <translation>按配置运行一次</translation>
    </message>
    <message>
        <source>Repeat every variant with this many seeds; the dashboard merges them into mean ± sd</source>
        <translation>每个变体用这么多个随机种子重复运行；对比面板会将结果合并为均值 ± 标准差</translation>
    </message>
    <message>
        <source>The sweep&apos;s tag: starting the same sweep again continues it, skipping finished variants</source>
        <translation>扫描的标签：再次启动同一扫描会接着进行，跳过已完成的变体</translation>
    </message>
    <message>
        <source>Variant</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token 数</translation>
    </message>
    <message>
        <source>Estimate</source>
        <translation>预计用时</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation>预览(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Start sweep</source>
        <translation>开始扫描(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Vary:</source>
        <translation>变化项(&amp;V)：</translation>
    </message>
    <message>
        <source>S&amp;eeds:</source>
        <translation>随机种子数(&amp;E)：</translation>
    </message>
    <message>
        <source>&amp;Tag:</source>
        <translation>标签(&amp;T)：</translation>
    </message>
    <message>
        <source>Cannot write the config for the preview: %1</source>
        <translation>无法写入用于预览的配置：%1</translation>
    </message>
    <message>
        <source>Measuring this machine&apos;s speed for the estimates…</source>
        <translation>正在测量本机速度以估算用时…</translation>
    </message>
    <message>
        <source>cos-batch stopped without a plan (exit %1)</source>
        <translation>cos-batch 未生成计划即退出（退出码 %1）</translation>
    </message>
    <message>
        <source> seed %1</source>
        <translation> 随机种子 %1</translation>
    </message>
    <message>
        <source>?</source>
        <translation>?</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) to start or resume</source>
        <translation>
            <numerusform>%n 个运行待启动或恢复</numerusform>
        </translation>
    </message>
    <message>
        <source>about %1 on this machine (cached stages take less)</source>
        <translation>在本机上约需 %1（已缓存的阶段耗时更少）</translation>
    </message>
</context>
<context>
    <name>cosw::TokenScalingPlot</name>
    <message>
        <source>fine-tuning visual tokens</source>
        <translation>微调视觉 token 数</translation>
    </message>
    <message>
        <source>%1, pre-trained with %2 tokens</source>
        <translation>%1，预训练 %2 个 token</translation>
    </message>
</context>
<context>
    <name>cosw::TradeoffPlot</name>
    <message>
        <source>–</source>
        <translation>–</translation>
    </message>
    <message>
        <source>%1 → %2 tokens</source>
        <translation>%1 → %2 个 token</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n 个运行</numerusform>
        </translation>
    </message>
    <message>
        <source>tokens %1 → %2</source>
        <translation>token %1 → %2</translation>
    </message>
    <message>
        <source>pre-training %1× the reference</source>
        <translation>预训练时间为基准的 %1×</translation>
    </message>
    <message>
        <source>pre-training %1 s</source>
        <translation>预训练 %1 s</translation>
    </message>
    <message>
        <source>(sd)</source>
        <translation>（标准差）</translation>
    </message>
    <message>
        <source>(se)</source>
        <translation>（标准误）</translation>
    </message>
    <message>
        <source>on the Pareto front</source>
        <translation>位于帕累托前沿</translation>
    </message>
    <message>
        <source>Pareto front</source>
        <translation>帕累托前沿</translation>
    </message>
    <message>
        <source>type prior %1</source>
        <translation>题型先验 %1</translation>
    </message>
    <message>
        <source>pre-training time (× reference run %1)</source>
        <translation>预训练时间（基准运行 %1 的倍数）</translation>
    </message>
    <message>
        <source>pre-training time (s)</source>
        <translation>预训练时间（s）</translation>
    </message>
</context>
<context>
    <name>cosw::UserGuideDialog</name>
    <message>
        <source>CoS Workbench user guide</source>
        <translation>CoS Workbench 用户指南</translation>
    </message>
    <message>
        <source>The user guide (USER-GUIDE.md) is not installed with this program.</source>
        <translation>本程序未安装用户指南（USER-GUIDE.md）。</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Research workbench for Chain-of-Sight multimodal pre-training</source>
        <translation>Chain-of-Sight 多模态预训练研究工作台</translation>
    </message>
    <message>
        <source>Experiment database (default: the settings&apos;).</source>
        <translation>实验数据库（默认：设置中的数据库）。</translation>
    </message>
    <message>
        <source>View to show: launcher, monitor, attention or compare.</source>
        <translation>要显示的视图：launcher、monitor、attention 或 compare。</translation>
    </message>
    <message>
        <source>Run to select in the run list (repeat to overlay runs).</source>
        <translation>要在运行列表中选中的运行（可重复指定以叠加多个运行）。</translation>
    </message>
    <message>
        <source>Image the attention view encodes (default: the run&apos;s first evaluation image).</source>
        <translation>注意力视图要编码的图像（默认：该运行的第一张评估图像）。</translation>
    </message>
    <message>
        <source>Question the attention view asks about the image.</source>
        <translation>注意力视图针对图像提出的问题。</translation>
    </message>
    <message>
        <source>Save the window as a PNG and exit.</source>
        <translation>将窗口保存为 PNG 后退出。</translation>
    </message>
    <message>
        <source>unexpected argument &apos;%1&apos;</source>
        <translation>意外的参数“%1”</translation>
    </message>
    <message>
        <source>--view &apos;%1&apos;: expected launcher, monitor, attention or compare</source>
        <translation>--view “%1”：应为 launcher、monitor、attention 或 compare</translation>
    </message>
    <message>
        <source>--run &apos;%1&apos;: expected a run id</source>
        <translation>--run “%1”：应为运行 ID</translation>
    </message>
    <message>
        <source>Language of the window: en, de or zh_CN (default: the settings&apos;, else the system&apos;s).</source>
        <translation>窗口语言：en、de 或 zh_CN（默认：设置中的语言，否则跟随系统）。</translation>
    </message>
</context>
</TS>
