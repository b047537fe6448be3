import LabKit
print("lab not written yet")
