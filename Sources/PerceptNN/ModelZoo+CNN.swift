/// Convolutional networks of the zoo. All take NHWC images: `[28, 28]` grayscale MNIST digits
/// (given a channel axis by a first ``Reshape`` layer) or `[32, 32, 3]` CIFAR-10 images.
extension ModelZoo {
    /// LeNet-5 in the shape of LeCun et al. (1998): two 5 × 5 convolutions with 6 and 16 maps,
    /// each followed by 2 × 2 subsampling, then 120, 84 and `classes` units. The 28 × 28 digits are
    /// zero-padded to the 32 × 32 of the paper by the first convolution's `same` padding. Modern
    /// choices replace the paper's scaled tanh, trainable subsampling and RBF output: ReLU, max
    /// pooling and a softmax over logits. 61,706 parameters for 10 classes.
    public static func lenet5(inputShape: [Int] = [28, 28], classes: Int = 10) -> Sequential {
        Sequential(
            channelAxis(for: inputShape) + [
                Conv2D(6, kernelSize: 5, padding: .same, activation: .relu),
                MaxPool2D(2),
                Conv2D(16, kernelSize: 5, activation: .relu),
                MaxPool2D(2),
                Flatten(),
                Dense(120, activation: .relu),
                Dense(84, activation: .relu),
                Dense(classes),
            ])
    }

    /// The seed's network: 5 × 5 × 32 `same` → max-pool 2 → 5 × 5 × 64 `same` → max-pool 2 →
    /// dense 1024 (ReLU) → dropout 0.4 → dense `classes`. 3,274,634 parameters on MNIST.
    public static func cnn(inputShape: [Int] = [28, 28], classes: Int = 10, dropout: Float = 0.4) -> Sequential {
        Sequential(
            channelAxis(for: inputShape) + [
                Conv2D(32, kernelSize: 5, padding: .same, activation: .relu),
                MaxPool2D(2),
                Conv2D(64, kernelSize: 5, padding: .same, activation: .relu),
                MaxPool2D(2),
                Flatten(),
                Dense(1024, activation: .relu),
                Dropout(dropout),
                Dense(classes),
            ])
    }

    /// The CIFAR-10 network of seed 002: 3 × 3 × 32 → max-pool 2 → 3 × 3 × 64 → max-pool 2 →
    /// 3 × 3 × 64 → dense 64 → dense `classes`, all convolutions `valid` with ReLU. 122,570
    /// parameters on `[32, 32, 3]` images, as Keras counts them.
    public static func cifarCNN(inputShape: [Int] = [32, 32, 3], classes: Int = 10) -> Sequential {
        Sequential(
            channelAxis(for: inputShape) + [
                Conv2D(32, kernelSize: 3, activation: .relu, kernelInitializer: .glorotUniform),
                MaxPool2D(2),
                Conv2D(64, kernelSize: 3, activation: .relu, kernelInitializer: .glorotUniform),
                MaxPool2D(2),
                Conv2D(64, kernelSize: 3, activation: .relu, kernelInitializer: .glorotUniform),
                Flatten(),
                Dense(64, activation: .relu, kernelInitializer: .glorotUniform),
                Dense(classes),
            ])
    }

    /// A deeper CIFAR-10 network in the VGG style: three blocks of two 3 × 3 `same` convolutions
    /// (32, 64, 128 filters), each convolution followed by batch normalization and ReLU, each block
    /// by 2 × 2 max pooling and dropout; then global average pooling and dense `classes`. While
    /// training, images are flipped left-right and shifted by up to 4 pixels at random.
    public static func cifarVGG(inputShape: [Int] = [32, 32, 3], classes: Int = 10, augment: Bool = true) -> Sequential {
        var layers: [any Layer] = channelAxis(for: inputShape)
        if augment { layers += [RandomFlip(), RandomTranslation(maxShift: 4)] }
        for (filters, dropout) in [(32, Float(0.1)), (64, 0.2), (128, 0.3)] {
            for _ in 0..<2 {
                layers += [
                    Conv2D(filters, kernelSize: 3, padding: .same, useBias: false, kernelInitializer: .heNormal),
                    BatchNormalization(), ActivationLayer(.relu),
                ]
            }
            layers += [MaxPool2D(2), Dropout(dropout)]
        }
        layers += [GlobalAveragePooling2D(), Dense(classes)]
        return Sequential(layers)
    }

    /// A face-recognition network for small grayscale face crops (such as 48 × 48 Yale or 46 × 56
    /// AT&T faces, `[h, w]` or `[h, w, 1]`): three blocks of a 3 × 3 `same` convolution (16, 32,
    /// 64 filters) with batch normalization, ReLU and 2 × 2 max pooling, then dropout and dense
    /// `classes` over the flattened maps (which keep where each feature is on the face). While
    /// training, faces are mirrored and shifted by up to `maxShift` pixels at random (a face and its
    /// mirror image are the same person; the crops are not perfectly aligned). 57,983 trainable
    /// parameters for 15 subjects at 48 × 48.
    public static func faceCNN(inputShape: [Int], classes: Int, augment: Bool = true, maxShift: Int = 2,
                               dropout: Float = 0.5) -> Sequential {
        var layers: [any Layer] = channelAxis(for: inputShape)
        if augment { layers += [RandomFlip(), RandomTranslation(maxShift: maxShift)] }
        for filters in [16, 32, 64] {
            layers += [
                Conv2D(filters, kernelSize: 3, padding: .same, useBias: false, kernelInitializer: .heNormal),
                BatchNormalization(momentum: 0.9), ActivationLayer(.relu), MaxPool2D(2),
            ]
        }
        layers += [Flatten(), Dropout(dropout), Dense(classes)]
        return Sequential(layers)
    }

    /// A first `Reshape` that adds a channel axis to grayscale `[h, w]` samples; nothing otherwise.
    private static func channelAxis(for inputShape: [Int]) -> [any Layer] {
        inputShape.count == 2 ? [Reshape(inputShape + [1])] : []
    }
}
