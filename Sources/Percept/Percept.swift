// The umbrella module: `import Percept` brings in every layer of the library.
@_exported import PerceptAutograd
@_exported import PerceptClassical
@_exported import PerceptData
@_exported import PerceptDetection
@_exported import PerceptImage
@_exported import PerceptIO
@_exported import PerceptNN
@_exported import PerceptReports
@_exported import PerceptTensor
@_exported import PerceptTraining
